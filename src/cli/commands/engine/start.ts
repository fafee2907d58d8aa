import { parseAddressPools } from '../../../../runtime/index.js';
import { startEngineDaemon } from '../../../engine/daemon-control.js';
import { asBerthError } from '../../../engine/engine-errors.js';
import { engineStartFlags } from '../../../engine/engine-flags.js';
import { engineLocation } from '../../../engine/engine-location.js';
import { BerthCommand } from '../../base-command.js';

/** `berth engine start`: the embedded engine in the background. */
export default class EngineStart extends BerthCommand {
  static override summary = 'Start the embedded engine in the background';
  static override description =
    'Starts the engine daemon detached, with its log in <data-root>/engine.log, and waits until it answers on its socket. Does nothing if it already runs.';
  static override examples = [
    '<%= config.bin %> engine start',
    '<%= config.bin %> engine start --data-root /tmp/berth --host unix:///tmp/berth.sock --oci-runtime runc',
  ];
  static override flags = engineStartFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStart);
    const location = engineLocation(flags);
    // Refuse a malformed pool here, with one clear message, rather than in the daemon's log.
    try {
      parseAddressPools(flags['address-pool']);
    } catch (err) {
      throw asBerthError(err, location.dataRoot);
    }
    const result = await startEngineDaemon(location, {
      ociRuntime: flags['oci-runtime'],
      logLevel: flags['log-level'],
      addressPools: flags['address-pool'],
    });
    const pid = result.pid === undefined ? '' : ` (pid ${result.pid})`;
    this.log(
      `${result.alreadyRunning ? 'engine already running' : 'engine started'}${pid} on ${location.host}`,
    );
  }
}
