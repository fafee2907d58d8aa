import type { Host } from '../host/host.js';
import { type ChainNames, type Family, jumps } from './firewall-rules.js';

/**
 * Applies one address family's rule set (firewall-rules.ts) to the kernel: one
 * `iptables-restore --noflush` (or `ip6tables-restore`) per change, the jumps from built-in
 * chains checked once per process, and removal of everything when the set becomes empty.
 */
export class FirewallFamily {
  /** Set once the jumps from built-in chains are known present (each check costs an nft dump). */
  private jumpsInstalled = false;
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
    // Most container starts change no rule (no published port, no new network): skip the restore.
    if (this.jumpsInstalled && text === this.applied) return;
    await this.host.run(`${this.tool}-restore`, ['--noflush', '-w'], { input: text });
    this.applied = text;
    if (this.jumpsInstalled) return;
    for (const j of jumps(this.chains, this.family)) {
      const check = await this.host.run(this.tool, ['-w', '-t', j.table, '-C', j.chain, ...j.spec], {
        allowFailure: true,
      });
      if (check.code !== 0)
        await this.host.run(this.tool, ['-w', '-t', j.table, '-I', j.chain, '1', ...j.spec]);
    }
    this.jumpsInstalled = true;
  }

  /** Whether the kernel holds any rule or chain of ours (one dump). */
  private async leftovers(): Promise<boolean> {
    const dump = await this.host.run(`${this.tool}-save`, [], { allowFailure: true });
    return Object.values(this.chains).some((chain) => dump.stdout.includes(chain));
  }

  /** Removes the jumps and our chains entirely. */
  async remove(): Promise<void> {
    this.jumpsInstalled = false;
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
      ['filter', this.chains.isolation],
      ['nat', this.chains.dnat],
      ['nat', this.chains.postrouting],
    ];
    for (const [table, chain] of owned) {
      await this.host.run(this.tool, ['-w', '-t', table, '-F', chain], { allowFailure: true });
      await this.host.run(this.tool, ['-w', '-t', table, '-X', chain], { allowFailure: true });
    }
  }
}
