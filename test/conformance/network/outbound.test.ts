import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NetHarness, startNetHarness } from './harness.js';

/**
 * An "outside" host made on this machine: a named namespace joined to the host by a veth pair
 * with a /30 of the benchmarking range (198.18.0.0/15), so outbound traffic from containers
 * leaves through the host's routing and FORWARD chain as it would to the internet, without any
 * packet leaving the machine.
 */
interface Outside {
  ns: string;
  hostIp: string;
  ip: string;
  /** The source addresses the outside server saw, one per connection. */
  seen: string[];
  close(): void;
}

function makeOutside(tag: string): Outside {
  const ns = `${tag}-out`;
  const third = Math.floor(Math.random() * 256);
  const fourth = Math.floor(Math.random() * 63) * 4;
  const hostIp = `198.18.${third}.${fourth + 1}`;
  const ip = `198.18.${third}.${fourth + 2}`;
  const ip2 = (args: string[]) => execFileSync('ip', args, { stdio: 'ignore' });
  ip2(['netns', 'add', ns]);
  let server: ChildProcess | undefined;
  const close = () => {
    server?.kill('SIGKILL');
    // Deleting the namespace destroys the peer, and the host end with it.
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  };
  try {
    ip2(['link', 'add', `${tag}h`, 'type', 'veth', 'peer', 'name', `${tag}o`]);
    ip2(['link', 'set', `${tag}o`, 'netns', ns]);
    ip2(['addr', 'add', `${hostIp}/30`, 'dev', `${tag}h`]);
    ip2(['link', 'set', `${tag}h`, 'up']);
    ip2(['-n', ns, 'addr', 'add', `${ip}/30`, 'dev', `${tag}o`]);
    ip2(['-n', ns, 'link', 'set', `${tag}o`, 'up']);
    ip2(['-n', ns, 'link', 'set', 'lo', 'up']);
    const seen: string[] = [];
    const script = `require('net').createServer((s)=>{console.log(s.remoteAddress);s.end('outside\\n');}).listen(7777,'${ip}',()=>console.log('ready'))`;
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    server.stdout?.on('data', (d: Buffer) => seen.push(...d.toString().split('\n').filter(Boolean)));
    return { ns, hostIp, ip, seen, close };
  } catch (err) {
    close();
    throw err;
  }
}

// Real kernel: dockerd beside us sets the FORWARD policy to DROP, so reaching the outside host
// proves the engine's forward-accept rules, and the source the outside sees proves masquerade.
describe('outbound traffic from user networks (real kernel)', () => {
  let h: NetHarness;
  let outside: Outside | undefined;
  beforeEach(async () => {
    h = await startNetHarness();
  });
  afterEach(async () => {
    outside?.close();
    outside = undefined;
    expect(await h.close()).toEqual([]);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`${h.tag}h`);
  });

  it('leaves a non-internal network masqueraded as the host and through FORWARD; an internal one has no way out', async () => {
    outside = makeOutside(h.tag);
    const o = outside;
    await h.svc.createNetwork({ Name: `${h.tag}-open` });
    await h.svc.createNetwork({ Name: `${h.tag}-closed`, Internal: true });
    const open = await h.svc.attach(h.container(`${h.tag}-a`, { networkMode: `${h.tag}-open` }));
    const closed = await h.svc.attach(h.container(`${h.tag}-b`, { networkMode: `${h.tag}-closed` }));
    await expect.poll(() => o.seen.includes('ready'), { timeout: 10_000 }).toBe(true);
    const dial = (ns: string) => h.exec(ns, ['sh', '-c', `echo hi | nc -w 2 ${o.ip} 7777`]);
    const reply = await dial(open.netnsPath as string);
    expect(reply.out).toContain('outside');
    // The outside host saw the host's address, not the container's.
    const containerIp = open.hosts[0]?.[0];
    expect(o.seen.filter((s) => s !== 'ready')).toEqual([o.hostIp]);
    expect(o.seen).not.toContain(containerIp);
    const blocked = await dial(closed.netnsPath as string);
    expect(blocked.out).not.toContain('outside');
    expect(o.seen.filter((s) => s !== 'ready')).toHaveLength(1);
  });
});
