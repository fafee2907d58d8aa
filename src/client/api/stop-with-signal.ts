import { isBerthError } from '../../errors/kinds.js';
import { errorFromResponse } from '../errors.js';
import type { ContainersApi } from './containers.js';

/**
 * `stop` with a custom signal on engines older than API 1.42, which ignore the `signal`
 * parameter: send the signal, wait up to the grace period, then SIGKILL — what the engine
 * itself does on newer versions.
 */
export async function stopWithSignal(
  api: ContainersApi,
  id: string,
  signalName: string,
  t: number | undefined,
  abort: AbortSignal | undefined,
): Promise<void> {
  const before = await api.inspect(id, { signal: abort });
  if (!before.State.Running) throw errorFromResponse(304, '', `POST /containers/${id}/stop`);
  const ignoreNotRunning = (err: unknown) => {
    if (!isBerthError(err, 'conflict')) throw err;
  };
  await api.kill(id, { signal: signalName, abortSignal: abort }).catch(ignoreNotRunning);
  const grace = t ?? before.Config.StopTimeout ?? 10;
  if (grace < 0) {
    await api.wait(id, { signal: abort });
    return;
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), grace * 1000);
  const signal = abort ? AbortSignal.any([abort, deadline.signal]) : deadline.signal;
  try {
    await api.wait(id, { condition: 'not-running', signal });
  } catch (err) {
    if (!deadline.signal.aborted || abort?.aborted) throw err;
    await api.kill(id, { signal: 'SIGKILL', abortSignal: abort }).catch(ignoreNotRunning);
    await api.wait(id, { condition: 'not-running', signal: abort });
  } finally {
    clearTimeout(timer);
  }
}
