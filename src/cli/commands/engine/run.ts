import { parseAddressPools, runEngine } from '../../../../runtime/index.js';
import { asBerthError } from '../../../engine/engine-errors.js';
import { engineStartFlags } from '../../../engine/engine-flags.js';
import { engineLocation } from '../../../engine/engine-location.js';
import { BerthCommand } from '../../base-command.js';

/** `berth engine run`: the engine in the foreground, logging to standard error too. */
export default class EngineRun extends BerthCommand {
  static override summary = 'Run the embedded engine in the foreground';
  static override description =
    'Runs the engine daemon in this process until SIGTERM or Ctrl-C; the log goes to standard error and <data-root>/engine.log.';
  static override examples = [
    '<%= config.bin %> engine run',
    '<%= config.bin %> engine run --log-level debug',
  ];
  static override flags = { ...engineStartFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineRun);
    const location = engineLocation(flags);
    try {
      await runEngine({
        dataRoot: location.dataRoot,
        host: location.host,
        ociRuntime: flags['oci-runtime'],
        logLevel: flags['log-level'] as 'debug' | 'info' | 'warn' | 'error' | undefined,
        logToStderr: true,
        engineOptions: { addressPools: parseAddressPools(flags['address-pool']) },
      });
    } catch (err) {
      throw asBerthError(err, location.dataRoot);
    }
  }
}
