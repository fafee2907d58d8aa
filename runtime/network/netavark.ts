import { existsSync } from 'node:fs';
import type { Host } from '../host/host.js';
import { withHostLock } from './host-lock.js';
import { idleNetavarkCleanup, isolationJumpMissing, networkRulesCleanup } from './netavark-chains.js';
import type { NetavarkOptions } from './netavark-options.js';

/** Where netavark is installed by Debian and by podman's packages elsewhere; else PATH. */
const CANDIDATES = [
  '/usr/lib/podman/netavark',
  '/usr/libexec/podman/netavark',
  '/usr/local/libexec/podman/netavark',
];

/**
 * Netavark's calls on one host share global chains, and netavark 1.4 creates them with a
 * check-then-create that two concurrent calls race on; podman serializes its calls with a lock,
 * and so do all berth engines on the machine, with this one.
 */
const NETAVARK_LOCK = '/run/berth-netavark.lock';

/**
 * Runs netavark (podman's network stack) for the engine: `setup` and `teardown` of a container's
 * namespace from a description the engine computed (netavark-options.ts), and the removal of
 * netavark's global chains once no netavark network is left. Firewall rules go through iptables
 * (`NETAVARK_FW`), as the rest of the host's engines (dockerd) use it.
 */
export class Netavark {
  private readonly binary: string;

  constructor(
    private readonly host: Host,
    private readonly configDir: string,
    binary?: string,
  ) {
    this.binary = binary ?? CANDIDATES.find((p) => existsSync(p)) ?? 'netavark';
  }

  /** Creates the interfaces, addresses, routes and rules `options` describe in `netns`. */
  async setup(netns: string, options: NetavarkOptions): Promise<void> {
    await this.call('setup', netns, options, false);
  }

  /**
   * Removes them again. Netavark deletes a bridge (and its network's chains) when its last port
   * goes; the engine's keeper port prevents that, and the caller recreates a bridge deleted anyway.
   */
  async teardown(netns: string, options: NetavarkOptions): Promise<string | undefined> {
    return this.call('teardown', netns, options, true);
  }

  /**
   * Puts FORWARD's jump to netavark's isolation chain back where its teardown took it (see
   * {@link isolationJumpMissing}): only a teardown that deleted a bridge (its network's last port
   * gone) drops it, so only then is the dump read.
   */
  private async restoreIsolationJump(options: NetavarkOptions): Promise<void> {
    const bridges = Object.values(options.network_info).map((n) => n.network_interface);
    if (bridges.every((b) => existsSync(`/sys/class/net/${b}`))) return;
    for (const tool of ['iptables', 'ip6tables']) {
      const dump = await this.host.run(`${tool}-save`, ['-t', 'filter'], { allowFailure: true });
      if (isolationJumpMissing(dump.stdout))
        await this.host.run(tool, ['-w', '-I', 'FORWARD', '1', '-j', 'NETAVARK_ISOLATION_1'], {
          allowFailure: true,
        });
    }
  }

  /** Removes the rules netavark made for one network (its bridge is gone), IPv4 and IPv6. */
  async removeNetworkRules(network: { subnets: string[]; bridge: string }): Promise<void> {
    await withHostLock(NETAVARK_LOCK, async () => {
      for (const tool of ['iptables', 'ip6tables']) {
        const dump = await this.host.run(`${tool}-save`, [], { allowFailure: true });
        const text = networkRulesCleanup(dump.stdout, network);
        if (text) await this.host.run(`${tool}-restore`, ['--noflush', '-w'], { input: text });
      }
    });
  }

  /** Removes netavark's global chains (IPv4 and IPv6) when no netavark network has rules left. */
  async removeIdleChains(): Promise<void> {
    await withHostLock(NETAVARK_LOCK, async () => {
      for (const tool of ['iptables', 'ip6tables']) {
        const dump = await this.host.run(`${tool}-save`, [], { allowFailure: true });
        const text = idleNetavarkCleanup(dump.stdout);
        if (text)
          await this.host.run(`${tool}-restore`, ['--noflush', '-w'], { input: text, allowFailure: true });
      }
    });
  }

  /** One netavark call under the host-wide lock; a failed teardown returns its message. */
  private async call(
    command: 'setup' | 'teardown',
    netns: string,
    options: NetavarkOptions,
    tolerate: boolean,
  ): Promise<string | undefined> {
    const res = await withHostLock(NETAVARK_LOCK, async () => {
      const done = await this.host.run(this.binary, ['--config', this.configDir, command, netns], {
        input: JSON.stringify(options),
        env: { NETAVARK_FW: 'iptables' },
        allowFailure: true,
      });
      if (command === 'teardown') await this.restoreIsolationJump(options);
      return done;
    }).catch((err: Error) => {
      if ((err.cause as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') throw err;
      throw new Error(`netavark not found at ${this.binary} (install the netavark package)`);
    });
    if (res.code === 0) return undefined;
    const message = netavarkMessage(res.stderr) || `netavark ${command} exited with ${res.code}`;
    if (tolerate) return message;
    throw new Error(message);
  }
}

/** Netavark's error line without its log prefix (`[ERROR netavark] ...`, `Error: ...`). */
export function netavarkMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.filter((l) => !/^\[(DEBUG|INFO|WARN)/.test(l)).at(-1) ?? '';
  return last.replace(/^\[ERROR [^\]]*\]\s*/, '').replace(/^Error:\s*/, '');
}
