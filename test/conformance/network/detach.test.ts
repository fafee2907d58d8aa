import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NetHarness, startNetHarness } from './harness.js';

/** Whether a host interface exists. */
const linkExists = (name: string) =>
  execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).includes(` ${name}@`);

// A container detached and attached again at once, many times over: each attach gets a working
// eth0, and the host end netavark made for the previous one is gone.
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
    const ends: string[] = [];
    for (let i = 0; i < 5; i++) {
      const att = await h.svc.attach(view);
      expect((await h.exec(att.netnsPath as string, ['ip', '-o', 'addr'])).out).toContain('eth0');
      const end = h.svc.core.state.attached[view.id]?.endpoints[0]?.hostVeth ?? '';
      expect(end).not.toBe('');
      ends.push(end);
      await h.svc.detach(view.id);
    }
    for (const end of new Set(ends)) expect(linkExists(end)).toBe(false);
  });
});
