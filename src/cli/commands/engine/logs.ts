import { Flags } from '@oclif/core';
import { engineLocationFlags } from '../../../engine/engine-flags.js';
import { engineLocation } from '../../../engine/engine-location.js';
import { followLog, readLogTail } from '../../../engine/log-file.js';
import { BerthCommand } from '../../base-command.js';

/** `berth engine logs`: the engine's own log file. */
export default class EngineLogs extends BerthCommand {
  static override summary = "Show the embedded engine's log";
  static override examples = ['<%= config.bin %> engine logs', '<%= config.bin %> engine logs -f -n 50'];
  static override flags = {
    ...engineLocationFlags,
    follow: Flags.boolean({ char: 'f', description: 'Keep printing what the engine logs (Ctrl-C stops)' }),
    tail: Flags.integer({ char: 'n', description: 'Only the last N lines', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineLogs);
    const location = engineLocation(flags);
    process.stdout.write(readLogTail(location.logFile, flags.tail));
    if (!flags.follow) return;
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await followLog(location.logFile, (text) => process.stdout.write(text), ac.signal);
  }
}
