import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Host } from '../host/host.js';
import { type ChainNames, jumps, rulesetText } from './firewall-rules.js';
import { batchCommand, type IpBatch } from './link-commands.js';
import type { AttachedContainer, NetworkRecord } from './network-state.js';

/**
 * The one place the network subsystem changes the kernel: namespaces, `ip` batches, sysctls and
 * the iptables rule set, all through {@link Host}. Every method is safe to repeat.
 */
export class Plumbing {
  /** Set once the jumps from built-in chains are known present (each check costs an nft dump). */
  private jumpsInstalled = false;
  /** The rule set last applied by this process (the kernel's copy, unless someone else edits our chains). */
  private applied: string | undefined;

  constructor(
    private readonly host: Host,
    private readonly chains: ChainNames,
  ) {}

  /** Runs one `ip` batch; throws with ip's message on failure. */
  async ip(batch: IpBatch): Promise<void> {
    const [cmd, args] = batchCommand(batch);
    await this.host.run(cmd, args, { input: `${batch.lines.join('\n')}\n` });
  }

  /** Runs an `ip` batch whose failures are expected when the objects are already gone. */
  async ipQuiet(batch: IpBatch): Promise<void> {
    const [cmd, args] = batchCommand(batch);
    await this.host.run(cmd, ['-force', ...args], {
      input: `${batch.lines.join('\n')}\n`,
      allowFailure: true,
    });
  }

  /** Whether a network interface exists in the host namespace. */
  async linkExists(name: string): Promise<boolean> {
    const res = await this.host.run('ip', ['-o', 'link', 'show', 'dev', name], { allowFailure: true });
    return res.code === 0;
  }

  /** Host interfaces enslaved to `bridge` (`ip -o link show master <bridge>`). */
  async linksOf(bridge: string): Promise<string[]> {
    const res = await this.host.run('ip', ['-o', 'link', 'show', 'master', bridge], { allowFailure: true });
    return res.stdout
      .split('\n')
      .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
      .filter((n): n is string => Boolean(n));
  }

  /** Routes on the host (for subnet allocation). */
  async routes(): Promise<string> {
    return (await this.host.run('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout;
  }

  /** Sets a sysctl (`net.ipv4.conf.<bridge>.route_localnet` and the like). */
  async sysctl(key: string, value: string): Promise<void> {
    await this.host.run('sysctl', ['-qw', `${key}=${value}`]);
  }

  /**
   * Creates a persistent network namespace bound at `path` (as `ip netns add` does in /run/netns)
   * and runs `setup` (ip batch lines, at least `link set lo up`) inside it in the same fork.
   */
  async createNetns(path: string, setup: string[] = ['link set lo up']): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, '', { mode: 0o400 });
    await this.host.run('unshare', [`--net=${path}`, 'ip', '-batch', '-'], {
      input: `${setup.join('\n')}\n`,
    });
  }

  /** The engine's own network namespace, as a path other namespaces' `ip` can name. */
  get hostNetns(): string {
    return `/proc/${process.pid}/ns/net`;
  }

  /** Removes a namespace file made by {@link createNetns}; missing is fine. */
  async removeNetns(path: string): Promise<void> {
    await this.host.unmount(path, { detach: true });
    await rm(path, { force: true });
  }

  /** Replaces the contents of our chains with the set computed from state, then ensures the jumps. */
  async applyFirewall(networks: NetworkRecord[], containers: AttachedContainer[]): Promise<void> {
    const text = rulesetText(this.chains, networks, containers);
    // Most container starts change no rule (no published port, no new network): skip the restore.
    if (this.jumpsInstalled && text === this.applied) return;
    await this.host.run('iptables-restore', ['--noflush', '-w'], { input: text });
    this.applied = text;
    if (this.jumpsInstalled) return;
    for (const j of jumps(this.chains)) {
      const check = await this.host.run('iptables', ['-w', '-t', j.table, '-C', j.chain, ...j.spec], {
        allowFailure: true,
      });
      if (check.code !== 0)
        await this.host.run('iptables', ['-w', '-t', j.table, '-I', j.chain, '1', ...j.spec]);
    }
    this.jumpsInstalled = true;
  }

  /** Removes the jumps and our chains entirely. */
  async removeFirewall(): Promise<void> {
    this.jumpsInstalled = false;
    this.applied = undefined;
    for (const j of jumps(this.chains)) {
      for (let i = 0; i < 8; i++) {
        const res = await this.host.run('iptables', ['-w', '-t', j.table, '-D', j.chain, ...j.spec], {
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
      await this.host.run('iptables', ['-w', '-t', table, '-F', chain], { allowFailure: true });
      await this.host.run('iptables', ['-w', '-t', table, '-X', chain], { allowFailure: true });
    }
  }
}
