import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NetHarness, pollFor, startNetHarness } from './harness.js';
import { freePort, httpGet } from './net-tools.js';

/** Whether a host interface exists. */
const linkExists = (name: string) =>
  execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).includes(` ${name}`);

// Detach leaves the veths to the kernel (they go with the namespace), so a container that starts
// again at once must find its host veth names free; detachSoon returns before the state is saved.
describe('detach (real kernel)', () => {
  let h: NetHarness;
  beforeEach(async () => {
    h = await startNetHarness();
  });
  afterEach(async () => {
    expect(await h.close()).toEqual([]);
  });

  it('re-attaches a container at once after detach, many times', async () => {
    await h.svc.createNetwork({ Name: `${h.tag}-re` });
    const view = h.container(`${h.tag}-again`, { networkMode: `${h.tag}-re` });
    for (let i = 0; i < 5; i++) {
      const att = await h.svc.attach(view);
      expect((await h.exec(att.netnsPath as string, ['ip', '-o', 'addr'])).out).toContain('eth0');
      await (i % 2 ? h.svc.detach(view.id) : h.svc.detachSoon(view.id));
    }
    const veth = `bv${view.id.slice(0, 10)}`;
    await pollFor(
      async () => linkExists(veth),
      (present) => !present,
    );
  });

  it('detachSoon closes published ports and removes their rules before the next operation', async () => {
    const port = await freePort();
    const view = h.container(`${h.tag}-soon`, {
      portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
    });
    await h.svc.attach(view);
    const rules = () => execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' });
    expect(rules()).toContain(`--dport ${port} -j DNAT`);
    await h.svc.detachSoon(view.id);
    expect(h.svc.core.state.attached[view.id]).toBeUndefined();
    // Any later operation runs after the rest of the detach (state saved, rules gone).
    await h.svc.createNetwork({ Name: `${h.tag}-after` });
    expect(rules()).not.toContain(`--dport ${port} -j DNAT`);
    expect(await httpGet('127.0.0.1', port)).toBe('');
  });
});
