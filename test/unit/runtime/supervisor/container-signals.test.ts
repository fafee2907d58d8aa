import { describe, expect, it } from 'vitest';
import { RecordingHost } from '../../../../runtime/host/recording-host.js';
import { RuntimeCli } from '../../../../runtime/oci/runtime-cli.js';
import { ContainerSignals } from '../../../../runtime/supervisor/container-signals.js';

function setup() {
  const host = new RecordingHost();
  const signals = new ContainerSignals(host, new RuntimeCli(host, '/usr/bin/crun', '/run/x'));
  return { host, signals };
}

const running = (Pid = 4242) => ({
  Id: 'c1',
  State: { Status: 'running', Pid },
  Config: {} as { StopSignal?: string },
});

describe('ContainerSignals', () => {
  it('signals a running init by its PID, without forking the runtime', async () => {
    const { host, signals } = setup();
    await signals.send(running(), 15);
    expect(host.calls).toEqual([{ op: 'signal', pid: 4242, signal: 15 }]);
  });

  it('asks the runtime once the exit is seen (the PID may be reused) and when no PID is known', async () => {
    const { host, signals } = setup();
    signals.exitSeen('c1');
    await signals.send(running(), 15);
    signals.exitRecorded('c1');
    await signals.send(running(0), 9);
    expect(host.calls).toEqual([
      { op: 'run', command: '/usr/bin/crun', args: ['--root', '/run/x', 'kill', 'c1', '15'] },
      { op: 'run', command: '/usr/bin/crun', args: ['--root', '/run/x', 'kill', 'c1', '9'] },
    ]);
  });

  it('thaws a paused container for a signal that ends it, not for others', async () => {
    const { host, signals } = setup();
    const paused = { ...running(), State: { Status: 'paused', Pid: 7 }, Config: { StopSignal: 'SIGUSR1' } };
    await signals.send(paused, 1);
    expect(paused.State.Status).toBe('paused');
    await signals.send(paused, 10);
    expect(paused.State.Status).toBe('running');
    expect(host.calls).toEqual([
      { op: 'signal', pid: 7, signal: 1 },
      { op: 'signal', pid: 7, signal: 10 },
      { op: 'run', command: '/usr/bin/crun', args: ['--root', '/run/x', 'resume', 'c1'] },
    ]);
  });
});
