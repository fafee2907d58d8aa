import type { Host } from '../host/host.js';
import { type ChainNames, type Family, jumps } from './firewall-rules.js';

/**
 * Applies one address family's rule set (firewall-rules.ts) to the kernel: one
 * `iptables-restore --noflush` (or `ip6tables-restore`) per change, the jumps from built-in
 * chains kept in front of netavark's, and removal of everything when the set becomes empty.
 */
export class FirewallFamily {
  /** The rule set last applied by this process ('' = none owned; undefined = not known yet). */
  private applied: string | undefined;

  constructor(
    private readonly host: Host,
    private readonly chains: ChainNames,
    private readonly family: Family,
  ) {}

  private get tool(): string {
    return this.family === 4 ? 'iptables' : 'ip6tables';
  }

  /** Makes our chains hold exactly `text` (an empty text: no chains, no jumps). */
  async apply(text: string): Promise<void> {
    if (text === '') {
      if (this.applied === '') return;
      // Not known yet (a fresh engine, maybe after a crash): remove only what a dump shows.
      if (this.applied !== undefined || (await this.leftovers())) await this.remove();
      this.applied = '';
      return;
    }
    if (text !== this.applied) {
      await this.host.run(`${this.tool}-restore`, ['--noflush', '-w'], { input: text });
      this.applied = text;
    }
    // Netavark inserts its own jumps first when it creates its chains, so ours are moved back
    // in front after every container setup (this runs only while some network needs our rules).
    for (const j of jumps(this.chains, this.family)) {
      const first = await this.host.run(this.tool, ['-w', '-t', j.table, '-S', j.chain, '1'], {
        allowFailure: true,
      });
      if (first.stdout.trim() === `-A ${j.chain} ${j.spec.join(' ')}`) continue;
      await this.host.run(this.tool, ['-w', '-t', j.table, '-D', j.chain, ...j.spec], { allowFailure: true });
      await this.host.run(this.tool, ['-w', '-t', j.table, '-I', j.chain, '1', ...j.spec]);
    }
  }

  /** Whether the kernel holds any rule or chain of ours (one dump). */
  private async leftovers(): Promise<boolean> {
    const dump = await this.host.run(`${this.tool}-save`, [], { allowFailure: true });
    return Object.values(this.chains).some((chain) => dump.stdout.includes(chain));
  }

  /** Removes the jumps and our chains entirely. */
  async remove(): Promise<void> {
    this.applied = undefined;
    for (const j of jumps(this.chains, this.family)) {
      for (let i = 0; i < 8; i++) {
        const res = await this.host.run(this.tool, ['-w', '-t', j.table, '-D', j.chain, ...j.spec], {
          allowFailure: true,
        });
        if (res.code !== 0) break;
      }
    }
    const owned: Array<['filter' | 'nat', string]> = [
      ['filter', this.chains.forward],
      ['nat', this.chains.postrouting],
      ['nat', this.chains.output],
    ];
    for (const [table, chain] of owned) {
      await this.host.run(this.tool, ['-w', '-t', table, '-F', chain], { allowFailure: true });
      await this.host.run(this.tool, ['-w', '-t', table, '-X', chain], { allowFailure: true });
    }
  }
}
