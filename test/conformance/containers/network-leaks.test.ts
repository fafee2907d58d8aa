import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { type ContainerHarness, startHarness } from './harness.js';

/**
 * Every way a container with a published port on a user network can end — stopped and removed,
 * engine stopped while it runs, engine killed — leaves no bridge, veth, netns file, iptables
 * chain or rule, mount, cgroup or monitor process once the container is removed and the
 * engine stopped.
 */

/** The engine's tag: its default bridge name (`bt<suffix>`), which names its iptables chains. */
const tagOf = (h: ContainerHarness) => `bt${h.engine.prefix.slice('berth-test-'.length)}`;

/** What of the engine's network plumbing is still on the machine. */
function networkLeftovers(
  tag: string,
  userBridge: string,
  containerIds: string[],
  netnsDir: string,
): string[] {
  const found: string[] = [];
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const name of [tag, userBridge, ...containerIds.map((id) => `bv${id.slice(0, 10)}`)]) {
    if (links.includes(` ${name}`)) found.push(`interface ${name}`);
  }
  const rules = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n');
  for (const line of rules)
    if (line.includes(tag) || line.includes(userBridge)) found.push(`iptables: ${line}`);
  let files: string[] = [];
  try {
    files = readdirSync(netnsDir);
  } catch {
    files = [];
  }
  for (const f of files) found.push(`netns file ${f}`);
  return found;
}

/** Starts a harness, a user network and a container publishing port 80 on it. */
async function runningWebContainer(h: ContainerHarness): Promise<{ id: string; bridge: string }> {
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
  return { id, bridge: `br-${net.slice(0, 12)}` };
}

describe('network plumbing is released on every path', () => {
  let h: ContainerHarness | undefined;
  afterEach(async () => {
    await h?.engine.stop();
    h = undefined;
  });

  /** Removes the container and the network, stops the engine and checks nothing is left. */
  async function finish(harness: ContainerHarness, id: string, bridge: string): Promise<void> {
    await harness.docker(['rm', '-f', id]);
    await harness.docker(['network', 'rm', harness.name('net')]);
    const netnsDir = join(harness.engine.dataRoot, 'run', 'netns');
    harness.engine.assertNoLeaks([id]);
    await harness.engine.stop();
    h = undefined;
    expect(networkLeftovers(tagOf(harness), bridge, [id], netnsDir)).toEqual([]);
  }

  it('stop, then remove', async () => {
    h = await startHarness('crun');
    const { id, bridge } = await runningWebContainer(h);
    await h.docker(['stop', '-t', '1', id]);
    await finish(h, id, bridge);
  });

  it('engine stopped while the container runs, restarted, container removed', async () => {
    h = await startHarness('crun');
    const { id, bridge } = await runningWebContainer(h);
    await h.engine.restart();
    await finish(h, id, bridge);
  });

  it('engine killed (-9) while the container runs, restarted, container removed', async () => {
    h = await startHarness('crun');
    const { id, bridge } = await runningWebContainer(h);
    await h.engine.kill9();
    await h.engine.restart();
    await finish(h, id, bridge);
  });
});
