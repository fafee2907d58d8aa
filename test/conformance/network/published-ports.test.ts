import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type NetHarness, pollFor, startNetHarness } from './harness.js';
import { freePort, httpGet } from './net-tools.js';

/** One UDP round trip from the host; '' on timeout. */
function udpAsk(port: number, text: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => done(''), 1000);
    const done = (v: string) => {
      clearTimeout(timer);
      s.close();
      resolve(v);
    };
    s.on('message', (m) => done(m.toString()));
    s.send(text, port, host);
  });
}

const UDP_ECHO =
  "const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('echo:'+m,r.port,r.address));s.bind(53);";

describe('published ports, connect/disconnect, modes and recovery (real kernel)', () => {
  let h: NetHarness;
  let www: string;
  beforeAll(() => {
    www = mkdtempSync(join(tmpdir(), 'berth-www-'));
    writeFileSync(join(www, 'index.html'), 'published hello\n');
  });
  afterAll(() => rmSync(www, { recursive: true, force: true }));
  beforeEach(async () => {
    h = await startNetHarness();
  });
  afterEach(async () => {
    expect(await h.close()).toEqual([]);
  });

  it('publishes TCP and UDP on 127.0.0.1, reports an ephemeral port, and hairpins', async () => {
    const [tcp, udp, wide] = [await freePort(), await freePort(), await freePort()];
    const view = h.container(`${h.tag}-pub`, {
      portBindings: {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(tcp) }],
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: String(udp) }],
        '8080/tcp': [{ HostIp: '', HostPort: String(wide) }],
      },
      exposedPorts: ['80/tcp', '53/udp', '8080/tcp', '81/tcp'],
      publishAllPorts: true,
    });
    const att = await h.svc.attach(view);
    const ns = att.netnsPath as string;
    h.serve(ns, ['httpd', '-f', '-p', '80', '-h', www]);
    h.serve(ns, ['httpd', '-f', '-p', '8080', '-h', www]);
    const { spawn } = await import('node:child_process');
    const udpServer = spawn('nsenter', [`--net=${ns}`, process.execPath, '-e', UDP_ECHO], {
      stdio: 'ignore',
    });
    try {
      expect(
        await pollFor(
          () => httpGet('127.0.0.1', tcp),
          (t) => t.includes('published hello'),
        ),
      ).toContain('200 OK');
      expect(
        await pollFor(
          () => udpAsk(udp, 'ping'),
          (t) => t !== '',
        ),
      ).toBe('echo:ping');
      const settings = h.svc.settings(view.id) as {
        Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>;
      };
      const ephemeral = Number(settings.Ports['81/tcp']?.[0]?.HostPort);
      expect(ephemeral).toBeGreaterThanOrEqual(49153);
      expect(settings.Ports['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(tcp) }]);
      // An empty HostIp publishes on IPv6 too, on the same port, through the engine's forwarder.
      expect(settings.Ports['8080/tcp']).toEqual([
        { HostIp: '0.0.0.0', HostPort: String(wide) },
        { HostIp: '::', HostPort: String(wide) },
      ]);
      expect(
        await pollFor(
          () => httpGet('::1', wide),
          (t) => t.includes('published hello'),
        ),
      ).toContain('200 OK');
      expect(h.svc.ports(view.id)).toContainEqual({
        IP: '0.0.0.0',
        PrivatePort: 81,
        PublicPort: ephemeral,
        Type: 'tcp',
      });
      // Hairpin: the container reaches its own published port through a host address.
      const gateway = h.svc.network('bridge').gateway;
      const hair = await pollFor(
        async () =>
          (
            await h.exec(ns, [
              'sh',
              '-c',
              `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 ${gateway} ${wide}`,
            ])
          ).out,
        (t) => t.includes('published hello'),
      );
      expect(hair).toContain('200 OK');
    } finally {
      udpServer.kill('SIGKILL');
    }
  });

  it("fails a conflicting host port with Docker's message and leaves nothing behind", async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const view = h.container(`${h.tag}-clash`, {
        portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      });
      await expect(h.svc.attach(view)).rejects.toThrow(
        new RegExp(
          `driver failed programming external connectivity on endpoint ${h.tag}-clash \\(\\w+\\): Bind for 127.0.0.1:${port} failed: port is already allocated`,
        ),
      );
      expect(h.svc.core.state.attached[view.id]).toBeUndefined();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('connects and disconnects a running container; a container on two networks has two interfaces', async () => {
    await h.svc.createNetwork({ Name: `${h.tag}-n1` });
    await h.svc.createNetwork({ Name: `${h.tag}-n2` });
    const mover = h.container(`${h.tag}-mover`, { networkMode: `${h.tag}-n1` });
    const peer = h.container(`${h.tag}-peer`, { networkMode: `${h.tag}-n2` });
    const m = await h.svc.attach(mover);
    const p = await h.svc.attach(peer);
    const peerIp = p.hosts[0]?.[0] ?? '';
    const ns = m.netnsPath as string;
    expect((await h.exec(ns, ['ping', '-c', '1', '-W', '1', peerIp])).code).not.toBe(0);
    await h.svc.connect(`${h.tag}-n2`, mover.name, { Aliases: ['moved'] });
    expect((await h.exec(ns, ['ip', '-o', 'addr'])).out).toMatch(/eth1\s+inet /);
    expect((await h.exec(ns, ['ping', '-c', '1', '-W', '2', peerIp])).code).toBe(0);
    const gw2 = h.svc.network(`${h.tag}-n2`).gateway;
    expect((await h.exec(p.netnsPath as string, ['nslookup', 'moved', gw2])).out).toMatch(/Address: 10\./);
    const inspect = h.svc.settings(mover.id) as { Networks: Record<string, unknown> };
    expect(Object.keys(inspect.Networks).sort()).toEqual([`${h.tag}-n1`, `${h.tag}-n2`].sort());
    await expect(h.svc.removeNetwork(`${h.tag}-n2`)).rejects.toThrow(/has active endpoints/);
    await h.svc.disconnect(`${h.tag}-n2`, mover.id);
    expect((await h.exec(ns, ['ip', '-o', 'link'])).out).not.toContain('eth1');
    expect((await h.exec(ns, ['ping', '-c', '1', '-W', '1', peerIp])).code).not.toBe(0);
  });

  it('supports host, none and container:<id> modes', async () => {
    const host = await h.svc.attach(h.container(`${h.tag}-h`, { networkMode: 'host' }));
    expect(host.netnsPath).toBe('host');
    const noneView = h.container(`${h.tag}-n`, { networkMode: 'none' });
    const none = await h.svc.attach(noneView);
    const links = (await h.exec(none.netnsPath as string, ['ip', '-o', 'link'])).out.trim().split('\n');
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/^1: lo: <LOOPBACK,UP/);
    expect(none.hosts).toContainEqual(['127.0.1.1', noneView.hostname]);
    const owner = h.container(`${h.tag}-owner`);
    const o = await h.svc.attach(owner);
    const joined = await h.svc.attach(h.container(`${h.tag}-j`, { networkMode: `container:${owner.name}` }));
    expect(joined.netnsPath).toBe(o.netnsPath);
    const joinedNone = await h.svc.attach(
      h.container(`${h.tag}-jn`, { networkMode: `container:${noneView.id}` }),
    );
    expect(joinedNone.netnsPath).toBe(none.netnsPath);
  });

  it('after a crash, tears down dead containers and keeps live ones', async () => {
    await h.svc.createNetwork({ Name: `${h.tag}-c` });
    const live = h.container(`${h.tag}-live`, { networkMode: `${h.tag}-c` });
    const dead = h.container(`${h.tag}-dead`, { networkMode: `${h.tag}-c` });
    const l = await h.svc.attach(live);
    await h.svc.attach(dead);
    const sleeper = h.serve(l.netnsPath as string, ['sleep', '600']);
    await pollFor(
      async () => sleeper.pid,
      (pid) => pid !== undefined,
    );
    await h.crashAndRestart();
    expect(Object.keys(h.svc.core.state.attached)).toEqual([live.id]);
    const liveIp = l.hosts[0]?.[0] ?? '';
    expect((await h.exec(l.netnsPath as string, ['ip', '-o', 'addr'])).out).toContain(liveIp);
    const gw = h.svc.network(`${h.tag}-c`).gateway;
    expect((await h.exec(l.netnsPath as string, ['ping', '-c', '1', '-W', '2', gw])).code).toBe(0);
  });

  it('publishes on an IPv6 host address (::1) through the engine, TCP and UDP', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const view = h.container(`${h.tag}-v6`, {
      portBindings: {
        '80/tcp': [{ HostIp: '::1', HostPort: String(tcp) }],
        '53/udp': [{ HostIp: '[::1]', HostPort: String(udp) }],
      },
    });
    const ns = (await h.svc.attach(view)).netnsPath as string;
    h.serve(ns, ['httpd', '-f', '-p', '80', '-h', www]);
    const { spawn } = await import('node:child_process');
    const udpServer = spawn('nsenter', [`--net=${ns}`, process.execPath, '-e', UDP_ECHO], {
      stdio: 'ignore',
    });
    try {
      const page = await pollFor(
        () => httpGet('::1', tcp),
        (t) => t.includes('published hello'),
      );
      expect(page).toContain('200 OK');
      expect(
        await pollFor(
          () => udpAsk(udp, 'six', '::1'),
          (t) => t !== '',
        ),
      ).toBe('echo:six');
      const settings = h.svc.settings(view.id) as { Ports: Record<string, unknown> };
      expect(settings.Ports['80/tcp']).toEqual([{ HostIp: '::1', HostPort: String(tcp) }]);
      await h.svc.detach(view.id);
      expect(await httpGet('::1', tcp)).toBe('');
    } finally {
      udpServer.kill('SIGKILL');
    }
  });
});
