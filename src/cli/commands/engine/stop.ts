import { stopEngineDaemon } from '../../../engine/daemon-control.js';
import { engineLocationFlags } from '../../../engine/engine-flags.js';
import { engineLocation } from '../../../engine/engine-location.js';
import { BerthCommand } from '../../base-command.js';

/** `berth engine stop`: graceful shutdown; containers keep running. */
export default class EngineStop extends BerthCommand {
  static override summary = 'Stop the embedded engine';
  static override description =
    'Sends the engine SIGTERM and waits until it has exited. Containers keep running (their monitors own them); a restarted engine manages them again.';
  static override examples = [
    '<%= config.bin %> engine stop',
    '<%= config.bin %> engine stop --data-root /tmp/berth',
  ];
  static override flags = engineLocationFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStop);
    const location = engineLocation(flags);
    const stopped = await stopEngineDaemon(location);
    this.log(stopped ? 'engine stopped' : `engine not running (data root ${location.dataRoot})`);
  }
}
