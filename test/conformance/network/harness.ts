import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineContext } from '../../../runtime/context.js';
import type { ContainerNetworkView, ContainerRegistry } from '../../../runtime/contracts.js';
import { EventBus } from '../../../runtime/events/event-bus.js';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import { keeperName } from '../../../runtime/network/link-commands.js';
import { NetworkService } from '../../../runtime/network/network-service.js';
import { firewallRulesNamed } from '../../support/leak-check.js';
import { newView } from './net-tools.js';

/**
 * The network subsystem in-process on a real kernel, with "containers" that are busybox
 * processes this test starts inside the namespaces the subsystem creates (no OCI runtime in the
 * way). Every name (bridge, chains, subnets) is unique to the run, and `close` removes all.
 */
export interface NetHarness {
  svc: NetworkService;
  ctx: EngineContext;
  tag: string;
  /** Registers a container the registry can look up; returns its view. */
  container(name: string, patch?: Partial<ContainerNetworkView>): ContainerNetworkView;
  /** Runs busybox in a namespace to completion (async: the DNS server answers from this process). */
  exec(netns: string, args: string[], timeoutMs?: number): Promise<{ code: number; out: string }>;
  /** Starts a long-running busybox in a namespace (killed by `close`). */
  serve(netns: string, args: string[]): ChildProcess;
  /** Simulates `kill -9` of the engine (sockets vanish, nothing is torn down) and starts a new subsystem. */
  crashAndRestart(): Promise<void>;
  /** Stops servers, shuts the subsystem down, and returns what it left behind (empty = clean). */
  close(): Promise<string[]>;
}

/** A pool of /24s in a /16 picked at random from 10.128–10.254, unlikely to meet any other test. */
function randomPool(): { base: string; size: number } {
  return { base: `10.${128 + Math.floor(Math.random() * 127)}.0.0/16`, size: 24 };
}

/**
 * Starts the subsystem on a fresh data root. `dnsForwarding` stays off unless a test forwards to
 * a resolver of its own on loopback (never to the host's real resolvers).
 */
export async function startNetHarness(opts: { dnsForwarding?: boolean } = {}): Promise<NetHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-net-'));
  const tag = `bn${randomBytes(3).toString('hex')}`;
  const views = new Map<string, ContainerNetworkView>();
  const registry: ContainerRegistry = {
    imagesInUse: () => new Set(),
    volumesInUse: () => new Set(),
    lookup: (ref) =>
      views.get(ref)?.id ?? [...views.values()].find((v) => v.name === ref || v.id.startsWith(ref))?.id,
    containerView: (id) => views.get(id),
  };
  const ctx: EngineContext = {
    dataRoot: join(dir, 'root'),
    runRoot: join(dir, 'run'),
    host: new LinuxHost(),
    events: new EventBus(),
    now: Date.now,
    log: () => undefined,
    options: { dnsForwarding: opts.dnsForwarding ?? false, bridgeName: tag, addressPools: [randomPool()] },
  };
  let svc = new NetworkService(ctx, { containers: registry });
  await svc.init();
  const children: ChildProcess[] = [];
  return {
    get svc() {
      return svc;
    },
    ctx,
    tag,
    container(name, patch = {}) {
      const view = newView(name, patch);
      views.set(view.id, view);
      return view;
    },
    exec(netns, args, timeoutMs = 15_000) {
      return new Promise((resolve) => {
        execFile(
          'nsenter',
          [`--net=${netns}`, 'busybox', ...args],
          { timeout: timeoutMs },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
            resolve({ code, out: `${stdout}${stderr}` });
          },
        );
      });
    },
    serve(netns, args) {
      const child = spawn('nsenter', [`--net=${netns}`, 'busybox', ...args], { stdio: 'ignore' });
      children.push(child);
      return child;
    },
    async crashAndRestart() {
      await svc.core.dns.closeAll();
      await svc.core.ports.releaseAll();
      svc = new NetworkService(ctx, { containers: registry });
      await svc.init();
    },
    async close() {
      for (const c of children) if (c.pid && c.exitCode === null) c.kill('SIGKILL');
      await Promise.all(
        children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)),
      );
      const gateways = svc.core.state.networks.map((n) => n.gateway).filter(Boolean);
      const bridges = svc.core.state.networks
        .filter((n) => n.bridge)
        .flatMap((n) => [n.bridge, keeperName(n)]);
      // Netavark's rules name the subnets and container IDs; its veths are recorded in state.
      const subnets = svc.core.state.networks.flatMap((n) => [n.subnet, n.subnet6 ?? '']).filter(Boolean);
      const veths = Object.values(svc.core.state.attached).flatMap((c) => c.endpoints.map((e) => e.hostVeth));
      for (const id of Object.keys(svc.core.state.attached)) await svc.detach(id);
      for (const n of svc.core.state.networks.filter((x) => !x.predefined)) await svc.removeNetwork(n.Id);
      await svc.shutdown();
      const names = [tag, ...subnets, ...views.keys()];
      // The kernel deletes a container's veths with its namespace, a moment after detach.
      let leaks = leftovers(names, svc.core.netnsDir, [...bridges, ...veths.filter(Boolean)]);
      for (const deadline = Date.now() + 10_000; leaks.length && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 50));
        leaks = leftovers(names, svc.core.netnsDir, [...bridges, ...veths.filter(Boolean)]);
      }
      const sockets = execFileSync('ss', ['-Hlntu'], { encoding: 'utf8' }).split('\n');
      for (const gw of gateways)
        for (const l of sockets) if (l.includes(` ${gw}:`)) leaks.push(`socket ${l.trim()}`);
      rmSync(dir, { recursive: true, force: true });
      return leaks;
    },
  };
}

/**
 * Interfaces, namespaces and iptables rules of this run that still exist; `names` are the texts
 * a rule of the run would contain (the engine's chain tag, subnets, container IDs).
 */
export function leftovers(names: string | string[], netnsDir: string, linkPrefixes: string[]): string[] {
  const found: string[] = [];
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const b of linkPrefixes)
    if (links.includes(` ${b}:`) || links.includes(` ${b}@`)) found.push(`interface ${b}`);
  found.push(...firewallRulesNamed(names));
  let files: string[] = [];
  try {
    files = readdirSync(netnsDir);
  } catch {
    files = [];
  }
  for (const f of files) found.push(`netns ${f}`);
  const mounts = execFileSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' });
  if (mounts.includes(netnsDir)) found.push(`mount under ${netnsDir}`);
  return found;
}

/** Polls `check` until it returns true (bounded). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `produce` until `ok` accepts its value (bounded); returns that value. */
export async function pollFor<T>(
  produce: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await produce();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${String(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
