import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Host } from '../host/host.js';
import { FirewallFamily } from './firewall-apply.js';
import { type ChainNames, rulesetText } from './firewall-rules.js';
import type { IpBatch } from './link-commands.js';
import type { NetworkRecord } from './network-state.js';

/**
 * The one place the network subsystem changes the kernel: namespaces, `ip` batches, sysctls and
 * the iptables rule set, all through {@link Host}. Every method is safe to repeat.
 */
export class Plumbing {
  private readonly v4: FirewallFamily;
  private readonly v6: FirewallFamily;

  constructor(
    private readonly host: Host,
    private readonly chains: ChainNames,
  ) {
    this.v4 = new FirewallFamily(host, chains, 4);
    this.v6 = new FirewallFamily(host, chains, 6);
  }

  /** Runs one `ip` batch; throws with ip's message on failure. */
  async ip(batch: IpBatch): Promise<void> {
    await this.host.run('ip', ['-batch', '-'], { input: `${batch.lines.join('\n')}\n` });
  }

  /** Runs an `ip` batch whose failures are expected when the objects are already gone. */
  async ipQuiet(batch: IpBatch): Promise<void> {
    await this.host.run('ip', ['-force', '-batch', '-'], {
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

  /** Sets sysctls (`net/ipv4/conf/<bridge>/route_localnet` and the like) in one command. */
  async sysctl(...settings: Array<[string, string]>): Promise<void> {
    if (settings.length) await this.host.run('sysctl', ['-qw', ...settings.map(([k, v]) => `${k}=${v}`)]);
  }

  /**
   * Creates a persistent network namespace bound at `path` (as `ip netns add` does in /run/netns)
   * and runs `setup` (ip batch lines, at least `link set lo up`) inside it in the same fork;
   * `sysctls` (`/proc/sys` paths and values, engine constants) are written first, by the shell
   * that then becomes that `ip`.
   */
  async createNetns(
    path: string,
    setup: string[] = ['link set lo up'],
    sysctls: Array<[string, string]> = [],
  ): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, '', { mode: 0o400 });
    const command = sysctls.length
      ? [
          '/bin/sh',
          '-c',
          `${sysctls.map(([k, v]) => `echo ${v} > /proc/sys/${k}`).join(' && ')} && exec ip -batch -`,
        ]
      : ['ip', '-batch', '-'];
    await this.host.run('unshare', [`--net=${path}`, ...command], { input: `${setup.join('\n')}\n` });
  }

  /** Removes a namespace file made by {@link createNetns}; missing is fine. */
  async removeNetns(path: string): Promise<void> {
    await this.host.unmount(path, { detach: true });
    await rm(path, { force: true });
  }

  /** Replaces the contents of our chains (both families) with the sets computed from state. */
  async applyFirewall(networks: NetworkRecord[]): Promise<void> {
    await Promise.all([
      this.v4.apply(rulesetText(this.chains, networks, 4)),
      this.v6.apply(rulesetText(this.chains, networks, 6)),
    ]);
  }

  /** Removes the jumps and our chains entirely, IPv4 and IPv6. */
  async removeFirewall(): Promise<void> {
    await Promise.all([this.v4.apply(''), this.v6.apply('')]);
  }
}
