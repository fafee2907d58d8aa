import { Flags } from '@oclif/core';
import { engineLocationFlags } from '../../../engine/engine-flags.js';
import { engineLocation } from '../../../engine/engine-location.js';
import { engineStatus, renderEngineStatus } from '../../../engine/engine-status.js';
import { BerthCommand } from '../../base-command.js';

/** `berth engine status`: is the engine up, and what does it hold. Exits 1 when it is not running. */
export default class EngineStatusCommand extends BerthCommand {
  static override summary = 'Show whether the embedded engine runs, and what it holds';
  static override examples = [
    '<%= config.bin %> engine status',
    '<%= config.bin %> engine status --format json',
  ];
  static override flags = {
    ...engineLocationFlags,
    format: Flags.string({ description: 'Output format', options: ['text', 'json'], default: 'text' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStatusCommand);
    const status = await engineStatus(engineLocation(flags));
    this.log(flags.format === 'json' ? JSON.stringify(status, null, 2) : renderEngineStatus(status));
    if (!status.running) process.exitCode = 1;
  }
}
