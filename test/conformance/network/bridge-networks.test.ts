import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keeperName } from '../../../runtime/network/link-commands.js';
import { type NetHarness, pollFor, startNetHarness } from './harness.js';

/** A DNS A query over TCP; prints the first answer's address. */
const TCP_QUERY = `const s=require('net').connect(53,'SERVER');const n='NAME';
const q=Buffer.concat([Buffer.from([0,1,1,0,0,1,0,0,0,0,0,0]),...n.split('.').map(l=>Buffer.concat([Buffer.from([l.length]),Buffer.from(l)])),Buffer.from([0,0,1,0,1])]);
const l=Buffer.alloc(2);l.writeUInt16BE(q.length);s.write(Buffer.concat([l,q]));let b=Buffer.alloc(0);
s.on('data',d=>{b=Buffer.concat([b,d]);if(b.length>=2&&b.length>=2+b.readUInt16BE(0)){console.log([...b.subarray(b.length-4)].join('.'));s.end();}});`;

/** Runs a node script inside a namespace; resolves with its trimmed stdout. */
function runNode(netns: string, script: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'nsenter',
      [`--net=${netns}`, process.execPath, '-e', script],
      { timeout: 10_000 },
      (_err, out) => resolve(String(out).trim()),
    );
  });
}

// Real kernel: namespaces, veths, bridges and iptables created by the network subsystem, with
// busybox processes standing in for containers. Needs root.
describe('bridge networks (in-process subsystem, real kernel)', () => {
  let h: NetHarness;
  let www: string;
  beforeAll(() => {
    www = mkdtempSync(join(tmpdir(), 'berth-www-'));
    writeFileSync(join(www, 'index.html'), 'hello from web\n');
  });
  afterAll(() => rmSync(www, { recursive: true, force: true }));
  beforeEach(async () => {
    h = await startNetHarness();
  });
  afterEach(async () => {
    expect(await h.close()).toEqual([]);
  });

  // busybox wget segfaults in Debian's static build; nc speaks enough HTTP.
  const fetchFrom = async (netns: string, ip: string, port = 80) =>
    (await h.exec(netns, ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 ${ip} ${port}`]))
      .out;

  it('wires two containers on a user network that reach each other by name, alias and service', async () => {
    const { Id } = await h.svc.createNetwork({ Name: `${h.tag}-app`, Labels: { a: 'b' } });
    const web = h.container(`${h.tag}-web`, {
      networkMode: `${h.tag}-app`,
      endpoints: { [`${h.tag}-app`]: { Aliases: ['frontend'] } },
      labels: { 'com.docker.compose.service': 'websvc' },
    });
    const client = h.container(`${h.tag}-client`, { networkMode: Id });
    const a = await h.svc.attach(web);
    const b = await h.svc.attach(client);
    const nsA = a.netnsPath as string;
    const nsB = b.netnsPath as string;
    const net = h.svc.network(Id);
    expect(b.resolvConf).toContain(`nameserver ${net.gateway}`);
    expect(a.hosts[0]?.[1]).toBe(web.hostname);
    const webIp = a.hosts[0]?.[0] ?? '';
    for (const name of [web.name, 'frontend', 'websvc', web.id.slice(0, 12), web.hostname]) {
      const res = await h.exec(nsB, ['nslookup', name, net.gateway]);
      expect(res.out, name).toContain(webIp);
    }
    // Over TCP as well (a raw RFC 1035 client run by node inside the namespace).
    const tcp = await runNode(nsB, TCP_QUERY.replace('SERVER', net.gateway).replace('NAME', 'frontend'));
    expect(tcp).toBe(webIp);
    const ptr = await h.exec(nsB, ['nslookup', webIp, net.gateway]);
    expect(ptr.out).toContain(`${web.name}.${net.Name}`);
    // A second replica of the service: the service name answers both addresses.
    const replica = h.container(`${h.tag}-web2`, {
      networkMode: `${h.tag}-app`,
      labels: { 'com.docker.compose.service': 'websvc' },
    });
    const r = await h.svc.attach(replica);
    const replicaIp = r.hosts[0]?.[0] ?? '';
    const both = (await h.exec(nsB, ['nslookup', 'websvc', net.gateway])).out;
    expect(both).toContain(webIp);
    expect(both).toContain(replicaIp);
    const unknown = await h.exec(nsB, ['nslookup', 'example.com', net.gateway]);
    expect(unknown.out).not.toMatch(/Address: \d+\.\d+\.\d+\.\d+\s*$/m);
    h.serve(nsA, ['httpd', '-f', '-p', '80', '-h', www]);
    const body = await pollFor(
      () => fetchFrom(nsB, webIp),
      (text) => text.includes('hello'),
    );
    expect(body).toContain('hello from web');
    const settings = h.svc.settings(web.id) as {
      Networks: Record<string, { IPAddress: string; Aliases: string[] }>;
    };
    expect(settings.Networks[`${h.tag}-app`]?.IPAddress).toBe(webIp);
    expect(settings.Networks[`${h.tag}-app`]?.Aliases).toContain('frontend');
    expect(settings.Networks[`${h.tag}-app`]?.Aliases).toContain(web.id.slice(0, 12));
  });

  it('isolates networks from each other and gives internal networks no way out', async () => {
    await h.svc.createNetwork({ Name: `${h.tag}-one` });
    await h.svc.createNetwork({ Name: `${h.tag}-two`, Internal: true });
    const one = await h.svc.attach(h.container(`${h.tag}-a`, { networkMode: `${h.tag}-one` }));
    const two = await h.svc.attach(h.container(`${h.tag}-b`, { networkMode: `${h.tag}-two` }));
    const oneIp = one.hosts[0]?.[0] ?? '';
    const twoIp = two.hosts[0]?.[0] ?? '';
    expect((await h.exec(two.netnsPath as string, ['ping', '-c', '1', '-W', '1', oneIp])).code).not.toBe(0);
    expect((await h.exec(one.netnsPath as string, ['ping', '-c', '1', '-W', '1', twoIp])).code).not.toBe(0);
    expect((await h.exec(two.netnsPath as string, ['ip', 'route'])).out).not.toContain('default');
    expect((await h.exec(one.netnsPath as string, ['ip', 'route'])).out).toContain('default via');
    const gateway = h.svc.network(`${h.tag}-two`).gateway;
    const ns = await h.exec(two.netnsPath as string, ['nslookup', `${h.tag}-a`, gateway]);
    expect(ns.out).not.toContain(oneIp);
  });

  it('keeps networks isolated after another network loses its last container', async () => {
    for (const n of ['one', 'two', 'gone']) await h.svc.createNetwork({ Name: `${h.tag}-${n}` });
    const one = await h.svc.attach(h.container(`${h.tag}-a`, { networkMode: `${h.tag}-one` }));
    const two = await h.svc.attach(h.container(`${h.tag}-b`, { networkMode: `${h.tag}-two` }));
    const leaving = h.container(`${h.tag}-c`, { networkMode: `${h.tag}-gone` });
    await h.svc.attach(leaving);
    // netavark 1.4 drops FORWARD's jump to its isolation chain when it deletes a network's bridge
    // with its last port. The engine's keeper port spares its own networks that; without it (as
    // for another netavark user's network) the engine puts the jump back, so the others stay apart.
    execFileSync('ip', ['link', 'del', keeperName(h.svc.network(`${h.tag}-gone`))]);
    await h.svc.detach(leaving.id);
    // The bridge netavark deleted comes back, keeper included, for the network that still exists.
    expect(
      execFileSync('ip', ['-o', 'link', 'show', 'master', h.svc.network(`${h.tag}-gone`).bridge], {
        encoding: 'utf8',
      }),
    ).toContain(keeperName(h.svc.network(`${h.tag}-gone`)));
    const forward = execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' });
    expect(forward).toContain('-j NETAVARK_ISOLATION_1');
    const twoIp = two.hosts[0]?.[0] ?? '';
    expect((await h.exec(one.netnsPath as string, ['ping', '-c', '1', '-W', '1', twoIp])).code).not.toBe(0);
  });

  it('writes links (with aliases) and extra hosts into the hosts lines, host-gateway as the gateway', async () => {
    const db = h.container(`${h.tag}-db`);
    const d = await h.svc.attach(db);
    const app = h.container(`${h.tag}-app`, {
      links: [`${db.name}:database`],
      extraHosts: ['api.example:10.9.8.7', 'gw:host-gateway'],
    });
    const a = await h.svc.attach(app);
    const dbIp = d.hosts[0]?.[0];
    expect(a.hosts).toContainEqual([dbIp, 'database', db.name, db.id.slice(0, 12)]);
    expect(a.hosts).toContainEqual(['10.9.8.7', 'api.example']);
    expect(a.hosts).toContainEqual([h.svc.network('bridge').gateway, 'gw']);
    // The default bridge has no embedded DNS: resolv.conf is the host's (minus loopback servers).
    expect(a.resolvConf).not.toContain(h.svc.network('bridge').gateway);
  });

  it('refuses a network whose bridge name is taken, leaving nothing behind', async () => {
    const taken = h.svc.network('bridge').bridge;
    await expect(
      h.svc.createNetwork({ Name: `${h.tag}-dup`, Options: { 'com.docker.network.bridge.name': taken } }),
    ).rejects.toThrow(`bridge ${taken} already exists`);
    expect(h.svc.core.state.networks.map((n) => n.Name)).not.toContain(`${h.tag}-dup`);
    await expect(h.svc.createNetwork({ Name: 'bridge' })).rejects.toThrow(
      'network with name bridge already exists',
    );
  });

  it("emits network events and forgets a removed container's connects", async () => {
    const seen: string[] = [];
    const stop = h.ctx.events.subscribe((e) => {
      if (e.Type === 'network') seen.push(`${e.Action} ${e.Actor.Attributes.name}`);
    });
    try {
      await h.svc.createNetwork({ Name: `${h.tag}-ev` });
      const c = h.container(`${h.tag}-evc`);
      await h.svc.connect(`${h.tag}-ev`, c.id, {});
      expect(h.svc.core.state.configured[c.id]).toBeDefined();
      await h.svc.attach(c);
      await h.svc.detach(c.id);
      h.ctx.events.emit('container', 'destroy', c.id);
      await pollFor(
        async () => h.svc.core.state.configured[c.id],
        (v) => v === undefined,
      );
      expect(seen).toEqual([
        `create ${h.tag}-ev`,
        `connect ${h.tag}-ev`,
        'connect bridge',
        `connect ${h.tag}-ev`,
        'disconnect bridge',
        `disconnect ${h.tag}-ev`,
      ]);
    } finally {
      stop();
    }
  });
});
