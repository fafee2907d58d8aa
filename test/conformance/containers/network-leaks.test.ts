import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { firewallRulesNamed } from '../../support/leak-check.js';
import { type ContainerHarness, startHarness } from './harness.js';

/**
 * Every way a container with a published port on a user network can end — stopped and removed,
 * engine stopped while it runs, engine killed — leaves no bridge, veth, netns file, iptables
 * chain or rule (iptables, ip6tables, nft), listening socket, mount, cgroup or monitor process
 * once the container is removed and the engine stopped.
 */

/** The engine's tag: its default bridge name (`bt<suffix>`), which names its iptables chains. */
const tagOf = (h: ContainerHarness) => `bt${h.engine.prefix.slice('berth-test-'.length)}`;

/** What of the engine's network plumbing is still on the machine. */
function networkLeftovers(tag: string, web: WebContainer, netnsDir: string): string[] {
  const { bridge: userBridge, id, subnet, veths } = web;
  const found: string[] = [];
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  // `bk<id10>`: the keeper veth the engine holds on each network's bridge.
  for (const name of [tag, userBridge, `bk${userBridge.slice(3)}`.slice(0, 12), ...veths]) {
    if (links.includes(` ${name}:`) || links.includes(` ${name}@`)) found.push(`interface ${name}`);
  }
  // iptables and ip6tables (both through nft on Debian 12), then the nft rule set itself:
  // netavark's rules name the subnet and the container ID, ours the engine's tag.
  const names = [tag, userBridge, subnet, id];
  found.push(...firewallRulesNamed(names));
  const nft = execFileSync('nft', ['list', 'ruleset'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).split('\n');
  for (const line of nft) if (names.some((n) => line.includes(n))) found.push(`nft: ${line.trim()}`);
  // Listening sockets: the published port (held by the engine as docker-proxy would) and the
  // network's embedded DNS on its gateway.
  const listening = execFileSync('ss', ['-Hlntu'], { encoding: 'utf8' }).split('\n');
  for (const line of listening)
    if (line.includes(`127.0.0.1:${web.hostPort} `) || line.includes(`${web.gateway}:53 `))
      found.push(`listening: ${line.trim()}`);
  let files: string[] = [];
  try {
    files = readdirSync(netnsDir);
  } catch {
    files = [];
  }
  for (const f of files) found.push(`netns file ${f}`);
  return found;
}

/** A running container publishing port 80 on a user network, and what the engine set up for it. */
interface WebContainer {
  id: string;
  bridge: string;
  hostPort: string;
  gateway: string;
  subnet: string;
  /** The host ends of its veths (named by netavark), seen while it runs. */
  veths: string[];
}

/** Starts a harness, a user network and a container publishing port 80 on it. */
async function runningWebContainer(h: ContainerHarness): Promise<WebContainer> {
  const net = (await h.docker(['network', 'create', h.name('net')])).stdout.trim();
  const id = (
    await h.docker([
      'run',
      '-d',
      '--network',
      h.name('net'),
      '-p',
      '127.0.0.1::80',
      TEST_IMAGE,
      'sleep',
      '300',
    ])
  ).stdout.trim();
  const info = (await h.api('GET', `/containers/${id}/json`)).body as {
    NetworkSettings: {
      Ports: Record<string, Array<{ HostPort: string }>>;
      Networks: Record<string, { Gateway: string; IPAddress: string; IPPrefixLen: number }>;
    };
  };
  const hostPort = info.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort ?? '';
  const gateway = info.NetworkSettings.Networks[h.name('net')]?.Gateway ?? '';
  expect(hostPort).toMatch(/^\d+$/);
  expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  const before = execFileSync('ss', ['-Hlntu'], { encoding: 'utf8' });
  expect(before).toContain(`127.0.0.1:${hostPort} `);
  expect(before).toContain(`${gateway}:53 `);
  const bridge = `br-${net.slice(0, 12)}`;
  const veths = execFileSync('ip', ['-o', 'link', 'show', 'master', bridge], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n) && n !== `bk${net.slice(0, 10)}`);
  expect(veths.length).toBe(1);
  const subnet = (
    await h.docker(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', net])
  ).stdout.trim();
  expect(subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
  return { id, bridge, hostPort, gateway, subnet, veths };
}

describe('network plumbing is released on every path', () => {
  let h: ContainerHarness | undefined;
  afterEach(async () => {
    await h?.engine.stop();
    h = undefined;
  });

  /** Removes the container and the network, stops the engine and checks nothing is left. */
  async function finish(harness: ContainerHarness, web: WebContainer): Promise<void> {
    const { id } = web;
    await harness.docker(['rm', '-f', id]);
    await harness.docker(['network', 'rm', harness.name('net')]);
    const netnsDir = join(harness.engine.dataRoot, 'run', 'netns');
    harness.engine.assertNoLeaks([id]);
    await harness.engine.stop();
    h = undefined;
    expect(networkLeftovers(tagOf(harness), web, netnsDir)).toEqual([]);
  }

  it('stop, then remove', async () => {
    h = await startHarness('crun');
    const web = await runningWebContainer(h);
    await h.docker(['stop', '-t', '1', web.id]);
    await finish(h, web);
  });

  it('engine stopped while the container runs, restarted, container removed', async () => {
    h = await startHarness('crun');
    const web = await runningWebContainer(h);
    await h.engine.restart();
    await finish(h, web);
  });

  it('engine killed (-9) while the container runs, restarted, container removed', async () => {
    h = await startHarness('crun');
    const web = await runningWebContainer(h);
    await h.engine.kill9();
    await h.engine.restart();
    await finish(h, web);
  });
});
