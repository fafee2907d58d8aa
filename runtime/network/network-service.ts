import { randomBytes } from 'node:crypto';
import type { Route } from '../api/route.js';
import type { EngineContext } from '../context.js';
import type {
  ContainerNetworkView,
  ContainerRegistry,
  NetworkAttachment,
  NetworkProvider,
  Subsystem,
} from '../contracts.js';
import { EngineError, notFound } from '../errors.js';
import { containerSettings } from './container-settings.js';
import { resolveQuestion, shuffler } from './dns-names.js';
import {
  attachBridged,
  desiredNetworks,
  holdPortsAgain,
  newEndpoint,
  unwireEndpoint,
  wireEndpoint,
} from './endpoints.js';
import type { HostsLine } from './etc-files.js';
import { withHostLock } from './host-lock.js';
import { editHostsFile, withHostsLine, withoutHostsLine } from './hosts-file.js';
import { routedSubnets } from './ipam.js';
import { NetworkCore } from './network-core.js';
import { networkSubnets6 } from './network-ipv6.js';
import { type CreateNetworkBody, findNetwork, networkSubnets, newNetworkRecord } from './network-records.js';
import { networkRoutes } from './network-routes.js';
import { configuredOf, type EndpointConfig, type NetworkRecord } from './network-state.js';
import { listPorts } from './network-views.js';
import { ensurePredefined, HOST_LOCK } from './predefined.js';
import { attachShared } from './shared-modes.js';

/**
 * The network subsystem: bridge networks with IPAM, per-container namespaces and veths, NAT and
 * published ports, and the embedded DNS resolver; serves `/networks*`. Operations are serialized.
 */
export class NetworkService implements Subsystem, NetworkProvider {
  readonly core: NetworkCore;
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly ctx: EngineContext,
    readonly deps: { containers: ContainerRegistry },
  ) {
    const shuffle = shuffler(Math.random);
    this.core = new NetworkCore(ctx, deps.containers, (src, q) =>
      resolveQuestion(this.core.state, src, q, shuffle),
    );
  }

  /** Runs `fn` after every earlier operation finished. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private newId(): string {
    return randomBytes(32).toString('hex');
  }

  private created(): string {
    return new Date(this.ctx.now()).toISOString();
  }

  async init(): Promise<void> {
    await this.core.load();
    // A removed container's connects and disconnects are forgotten with it.
    this.unsubscribe = this.ctx.events.subscribe((e) => {
      if (e.Type !== 'container' || e.Action !== 'destroy' || !this.core.state.configured[e.Actor.ID]) return;
      this.serial(async () => {
        delete this.core.state.configured[e.Actor.ID];
        await this.core.save();
      }).catch((err) => this.ctx.log('warn', 'could not forget a removed container', { error: String(err) }));
    });
    await this.serial(async () => {
      await ensurePredefined(
        this.core,
        () => this.newId(),
        () => this.created(),
      );
      await this.core.recover();
      for (const n of this.core.bridges()) await this.core.ensureBridge(n);
      await this.core.syncFirewall();
      await holdPortsAgain(this.core);
    });
  }

  async shutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.serial(async () => {
      await this.core.dns.closeAll();
      await this.core.ports.releaseAll();
      const used = new Set(
        Object.values(this.core.state.attached).flatMap((c) => c.endpoints.map((e) => e.networkId)),
      );
      for (const n of this.core.bridges()) if (!used.has(n.Id)) await this.core.removeBridge(n);
      if (Object.keys(this.core.state.attached).length === 0) {
        await this.core.plumbing.removeFirewall();
        await this.core.netavark.removeIdleChains();
      }
    });
  }

  routes(): Route[] {
    return networkRoutes(this);
  }

  /** Resolves a network reference or throws Docker's 404. */
  network(ref: string): NetworkRecord {
    const n = findNetwork(this.core.state.networks, ref);
    if (!n) throw notFound(`network ${ref} not found`);
    return n;
  }

  /** `POST /networks/create`. */
  createNetwork(body: CreateNetworkBody): Promise<{ Id: string; Warning: string }> {
    return this.serial(async () => {
      const s = this.core.state;
      if (s.networks.some((n) => n.Name === body.Name)) {
        throw new EngineError('conflict', `network with name ${body.Name} already exists`);
      }
      const n = await withHostLock(HOST_LOCK, async () => {
        const taken = [...routedSubnets(await this.core.plumbing.routes()), ...networkSubnets(s.networks)];
        const taken6 = networkSubnets6(s.networks);
        const record = newNetworkRecord(body, this.newId(), this.created(), this.core.pools, taken, taken6);
        if (
          s.networks.some((x) => x.bridge === record.bridge) ||
          (await this.core.plumbing.linkExists(record.bridge))
        ) {
          throw new EngineError('conflict', `bridge ${record.bridge} already exists on the host`);
        }
        s.networks.push(record);
        await this.core.save();
        try {
          await this.core.ensureBridge(record);
        } catch (err) {
          // Nothing half-made: drop the bridge and the record again.
          await this.core.removeBridge(record);
          s.networks = s.networks.filter((x) => x.Id !== record.Id);
          await this.core.save();
          throw new EngineError(
            'internal',
            `failed to create network ${record.Name}: ${(err as Error).message}`,
          );
        }
        return record;
      });
      await this.core.syncFirewall();
      this.ctx.events.emit('network', 'create', n.Id, { name: n.Name, type: n.Driver });
      return { Id: n.Id, Warning: '' };
    });
  }

  /** `DELETE /networks/{id}`. */
  removeNetwork(ref: string): Promise<void> {
    return this.serial(async () => {
      const n = this.network(ref);
      if (n.predefined)
        throw new EngineError('forbidden', `${n.Name} is a pre-defined network and cannot be removed`);
      const active = Object.values(this.core.state.attached).some((c) =>
        c.endpoints.some((e) => e.networkId === n.Id),
      );
      if (active) {
        throw new EngineError(
          'forbidden',
          `error while removing network: network ${n.Name} id ${n.Id} has active endpoints`,
        );
      }
      await this.core.removeBridge(n);
      const s = this.core.state;
      s.networks = s.networks.filter((x) => x.Id !== n.Id);
      for (const c of Object.values(s.configured)) {
        delete c.connected[n.Id];
        c.disconnected = c.disconnected.filter((id) => id !== n.Id);
      }
      await this.core.save();
      await this.core.syncFirewall();
      this.ctx.events.emit('network', 'destroy', n.Id, { name: n.Name, type: n.Driver });
    });
  }

  /** The container's view from the registry, or the 404 Docker gives. */
  private containerId(ref: string): string {
    const id = this.deps.containers.lookup(ref);
    if (!id) throw notFound(`No such container: ${ref}`);
    return id;
  }

  /** `POST /networks/{id}/connect`: on created containers, and on running ones (a new interface). */
  connect(ref: string, containerRef: string, config: EndpointConfig): Promise<void> {
    return this.serial(async () => {
      const n = this.network(ref);
      const id = this.containerId(containerRef);
      const ctr = this.core.state.attached[id];
      const view = this.deps.containers.containerView?.(id);
      const sharing = ctr && ctr.mode !== 'bridge';
      if (n.Driver !== 'bridge' || sharing || (view && /^(host|none|container:)/.test(view.networkMode))) {
        throw new EngineError(
          'forbidden',
          'container sharing network namespace with another container or host cannot be connected to any other network',
        );
      }
      if (
        desiredNetworks(this.core, id, view).some((d) => d.network.Id === n.Id) ||
        ctr?.endpoints.some((e) => e.networkId === n.Id)
      ) {
        throw new EngineError(
          'forbidden',
          `endpoint with name ${view?.name.replace(/^\//, '') ?? id} already exists in network ${n.Name}`,
        );
      }
      // A bad static address is refused before anything is recorded.
      const index = ctr ? Math.max(-1, ...ctr.endpoints.map((e) => Number(e.ifname.slice(3)))) + 1 : 0;
      const ep = ctr ? newEndpoint(this.core, n, config, index) : undefined;
      const configured = configuredOf(this.core.state, id);
      configured.connected[n.Id] = { Aliases: config.Aliases ?? null, IPAMConfig: config.IPAMConfig ?? null };
      configured.disconnected = configured.disconnected.filter((x) => x !== n.Id);
      if (ctr && ep) {
        ctr.endpoints.push(ep);
        await this.core.save();
        await wireEndpoint(this.core, ctr, ep);
        await this.core.syncFirewall();
        const lines = [ep.ip, ...(ep.ip6 ? [ep.ip6] : [])].map((ip): HostsLine => [ip, ctr.hostname]);
        await editHostsFile(this.deps.containers.etcHostsPath?.(id), (t) => lines.reduce(withHostsLine, t));
      } else {
        await this.core.save();
      }
      this.ctx.events.emit('network', 'connect', n.Id, { container: id, name: n.Name, type: n.Driver });
    });
  }

  /** `POST /networks/{id}/disconnect`. */
  disconnect(ref: string, containerRef: string): Promise<void> {
    return this.serial(async () => {
      const n = this.network(ref);
      const id = this.containerId(containerRef);
      const ctr = this.core.state.attached[id];
      const view = this.deps.containers.containerView?.(id);
      const ep = ctr?.endpoints.find((e) => e.networkId === n.Id);
      const configuredHere = desiredNetworks(this.core, id, view).some((d) => d.network.Id === n.Id);
      if (!ep && !configuredHere)
        throw new EngineError('forbidden', `container ${id} is not connected to network ${n.Name}`);
      const configured = configuredOf(this.core.state, id);
      delete configured.connected[n.Id];
      if (!configured.disconnected.includes(n.Id)) configured.disconnected.push(n.Id);
      if (ctr && ep) {
        await unwireEndpoint(this.core, ctr, ep);
        ctr.endpoints = ctr.endpoints.filter((e) => e !== ep);
        const ips = [ep.ip, ...(ep.ip6 ? [ep.ip6] : [])];
        await editHostsFile(this.deps.containers.etcHostsPath?.(id), (t) => ips.reduce(withoutHostsLine, t));
      }
      await this.core.save();
      await this.core.syncFirewall();
      this.ctx.events.emit('network', 'disconnect', n.Id, { container: id, name: n.Name, type: n.Driver });
    });
  }

  attach(view: ContainerNetworkView): Promise<NetworkAttachment> {
    return this.serial(async () => {
      const stale = this.core.state.attached[view.id];
      if (stale) await this.core.teardown(stale);
      const mode = view.networkMode ?? '';
      if (mode === 'host' || mode === 'none' || mode.startsWith('container:'))
        return attachShared(this.core, this.deps.containers, view, mode);
      return attachBridged(this.core, view);
    });
  }

  detach(containerId: string): Promise<void> {
    return this.serial(async () => {
      const ctr = this.core.state.attached[containerId];
      if (!ctr) return;
      await this.core.teardown(ctr);
      await this.core.syncFirewall();
    });
  }

  settings(containerId: string): Record<string, unknown> {
    return containerSettings(this.core, containerId, this.deps.containers.containerView?.(containerId));
  }

  /** `/containers/json` `Ports` for a container. */
  ports(containerId: string): Array<Record<string, unknown>> {
    return listPorts(this.core.state.attached[containerId]?.ports ?? []);
  }
}
