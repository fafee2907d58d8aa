import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context.js';
import type { ContainerRegistry } from '../contracts.js';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import { DnsServer } from './dns-server.js';
import { nameservers } from './etc-files.js';
import { chainNames } from './firewall-rules.js';
import { type AddressPool, DEFAULT_POOLS } from './ipam.js';
import { bridgeDown, bridgeUp, bridgeUp6, keeperName } from './link-commands.js';
import { Netavark } from './netavark.js';
import { unplugEndpoints } from './netavark-wiring.js';
import type { AttachedContainer, NetworkRecord, NetworkState } from './network-state.js';
import { emptyState } from './network-state.js';
import { Plumbing } from './plumbing.js';
import { PortReservations } from './port-reservations.js';

/**
 * The state and kernel helpers every network operation shares: the persisted document, the
 * plumbing, held ports and the DNS server. Operations run one at a time (NetworkService
 * serializes them), so nothing here locks.
 */
export class NetworkCore {
  state: NetworkState = emptyState();
  readonly plumbing: Plumbing;
  readonly ports = new PortReservations();
  readonly dns: DnsServer;
  /** Podman's network stack, which plumbs every container's interfaces, routes and rules. */
  readonly netavark: Netavark;
  readonly stateFile: string;
  readonly netnsDir: string;
  /** The default bridge's Linux name; also the tag of this engine's iptables chains. */
  readonly bridgeName: string;
  hostResolvConf = '';

  constructor(
    readonly ctx: EngineContext,
    readonly containers: ContainerRegistry,
    resolve: ConstructorParameters<typeof DnsServer>[0]['resolve'],
  ) {
    this.stateFile = join(ctx.dataRoot, 'network', 'state.json');
    this.netnsDir = join(ctx.runRoot, 'netns');
    this.bridgeName = ctx.options.bridgeName || defaultBridgeName(ctx.dataRoot);
    this.plumbing = new Plumbing(ctx.host, chainNames(this.bridgeName));
    this.netavark = new Netavark(ctx.host, join(ctx.runRoot, 'netavark'), ctx.options.netavarkPath);
    this.dns = new DnsServer({
      resolve,
      forwarding: () => ctx.options.dnsForwarding,
      upstreams: () => this.upstreams(),
      log: (message, fields) => ctx.log('warn', message, fields),
    });
  }

  /** The pools new networks draw from. */
  get pools(): AddressPool[] {
    if (this.ctx.options.addressPools?.length) return this.ctx.options.addressPools;
    // Engines on their own data roots (tests, side-by-side installs) take /24s from Docker's
    // ranges: a few dozen /16s would run out when many engines and dockerd share the machine.
    if (this.ctx.dataRoot !== DEFAULT_DATA_ROOT) return DEFAULT_POOLS.map((p) => ({ ...p, size: 24 }));
    return DEFAULT_POOLS;
  }

  /** Loads the persisted state and the host's resolv.conf. */
  async load(): Promise<void> {
    this.state = (await readJson<NetworkState>(this.stateFile)) ?? emptyState();
    this.hostResolvConf = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  }

  /** Persists the state (atomically). */
  save(): Promise<void> {
    return writeJsonAtomic(this.stateFile, this.state);
  }

  /** Host nameservers usable from the host namespace (loopback ones are the host's own stub). */
  private upstreams(): string[] {
    return nameservers(this.hostResolvConf);
  }

  /** The bridge networks. */
  bridges(): NetworkRecord[] {
    return this.state.networks.filter((n) => n.Driver === 'bridge' && n.bridge);
  }

  /** Reprograms our iptables chains (the bridge options netavark lacks) from state. */
  syncFirewall(): Promise<void> {
    return this.plumbing.applyFirewall(this.bridges());
  }

  /**
   * Creates (or repairs) a network's bridge, and serves DNS on user networks' gateways;
   * `recreated`: netavark deleted it with its last container, so the DNS sockets are bound anew.
   */
  async ensureBridge(n: NetworkRecord, recreated = false): Promise<void> {
    if (!(await this.plumbing.linkExists(n.bridge))) await this.plumbing.ip(bridgeUp(n));
    else await this.plumbing.ipQuiet({ lines: bridgeUp(n).lines.slice(1) });
    // route_localnet lets 127.0.0.1:<published port> be DNATed into the bridge. An IPv6 network
    // needs IPv6 on its bridge, and (as dockerd sets it) forwarding for traffic leaving it.
    const v6: Array<[string, string]> = n.gateway6
      ? [[`net/ipv6/conf/${n.bridge}/disable_ipv6`, '0'], ...(n.Internal ? [] : IPV6_FORWARDING)]
      : [];
    await this.plumbing.sysctl([`net/ipv4/conf/${n.bridge}/route_localnet`, '1'], ...v6);
    if (n.gateway6) await this.plumbing.ip(bridgeUp6(n));
    if (!n.predefined) {
      if (recreated) await this.dns.close(n.gateway);
      // Without the resolver the network still works by address; say so rather than fail.
      await this.dns.listen(n.gateway).catch((err) =>
        this.ctx.log('warn', 'embedded DNS unavailable on network', {
          network: n.Name,
          error: String(err),
        }),
      );
    }
  }

  /** Removes a network's bridge, its keeper, the rules netavark made for it, and its DNS socket. */
  async removeBridge(n: NetworkRecord): Promise<void> {
    if (n.gateway && !n.predefined) await this.dns.close(n.gateway);
    await this.plumbing.ipQuiet(bridgeDown(n));
    const subnets = [n.subnet, n.subnet6 ?? ''].filter(Boolean);
    await this.netavark.removeNetworkRules({ subnets, bridge: n.bridge });
  }

  /** Removes a container's interfaces, namespace and ports, then forgets it. */
  async teardown(ctr: AttachedContainer): Promise<void> {
    await this.unplug(ctr);
    await this.save();
    this.emitEndpoints('disconnect', ctr);
  }

  /**
   * The kernel half of {@link teardown}, after which the container's network is unusable: its
   * ports are closed, netavark has removed its interfaces and rules, its namespace file is
   * unmounted, and it is dropped from the in-memory state (the caller saves).
   */
  async unplug(ctr: AttachedContainer): Promise<void> {
    await this.ports.release(ctr.ports);
    if (ctr.mode === 'bridge') await unplugEndpoints(this, ctr, ctr.endpoints, ctr.ports);
    if (ctr.netns) await this.plumbing.removeNetns(ctr.netns);
    delete this.state.attached[ctr.id];
  }

  /** Docker's `network connect`/`disconnect` events for each endpoint of a container. */
  emitEndpoints(action: 'connect' | 'disconnect', ctr: AttachedContainer): void {
    for (const ep of ctr.endpoints) {
      const n = this.state.networks.find((x) => x.Id === ep.networkId);
      if (n)
        this.ctx.events.emit('network', action, n.Id, { container: ctr.id, name: n.Name, type: n.Driver });
    }
  }

  /**
   * After a crash: containers whose namespace has no process any more are torn down; namespace
   * files and veths on our bridges that the state does not name are removed.
   */
  async recover(): Promise<void> {
    const alive = await namespacesInUse();
    for (const ctr of Object.values(this.state.attached)) {
      const ino = ctr.netns ? await inodeOf(ctr.netns) : undefined;
      if (ctr.netns && (ino === undefined || !alive.has(ino))) await this.teardown(ctr);
    }
    const known = new Set(Object.values(this.state.attached).map((c) => c.netns));
    for (const file of await readdir(this.netnsDir).catch(() => [])) {
      const path = join(this.netnsDir, file);
      if (!known.has(path)) await this.plumbing.removeNetns(path);
    }
    const veths = new Set(
      Object.values(this.state.attached).flatMap((c) => c.endpoints.map((e) => e.hostVeth)),
    );
    for (const n of this.bridges()) {
      // A crash between netavark's setup and the save of the names leaves live endpoints unnamed.
      const unnamed = Object.values(this.state.attached).flatMap((c) =>
        c.endpoints.filter((e) => e.networkId === n.Id && !e.hostVeth),
      );
      for (const link of await this.plumbing.linksOf(n.bridge)) {
        if (veths.has(link) || link === keeperName(n)) continue;
        const owner = unnamed.shift();
        if (owner) owner.hostVeth = link;
        else await this.plumbing.ipQuiet({ lines: [`link del ${link}`] });
      }
    }
    await this.save();
  }
}

/** Host-wide IPv6 forwarding, which dockerd also turns on for its IPv6 networks (never turned off). */
const IPV6_FORWARDING: Array<[string, string]> = [
  ['net/ipv6/conf/default/forwarding', '1'],
  ['net/ipv6/conf/all/forwarding', '1'],
];

/** The data root of the machine's main engine. */
const DEFAULT_DATA_ROOT = '/var/lib/berth';

/** A default bridge name unique to a data root (`berth0` for the default one). */
export function defaultBridgeName(dataRoot: string): string {
  if (dataRoot === DEFAULT_DATA_ROOT) return 'berth0';
  return `brt${createHash('sha256').update(dataRoot).digest('hex').slice(0, 8)}`;
}

/** The inode of a namespace file, or undefined when missing. */
async function inodeOf(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.ino;
}

/** Inodes of every network namespace some process is in. */
async function namespacesInUse(): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const ino = await inodeOf(`/proc/${pid}/ns/net`);
    if (ino !== undefined) inodes.add(ino);
  }
  return inodes;
}
