import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type NetHarness, pollFor, startNetHarness } from './harness.js';
import { freePort, httpGet } from './net-tools.js';

/** A ULA /64 unique to this run (fd00::/8 with random bits), unlikely to meet any other test. */
function randomSubnet6(): string {
  const hex = () => Math.floor(Math.random() * 0xffff).toString(16);
  return `fd${Math.floor(Math.random() * 255)
    .toString(16)
    .padStart(2, '0')}:${hex()}:${hex()}::/64`;
}

interface Endpoint6 {
  IPAddress: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  IPv6Gateway: string;
}

// IPv6 on the real kernel: bridges with an IPv6 gateway, containers with IPv6 addresses and
// routes, AAAA/PTR from the embedded resolver, ip6tables DNAT and the ::1 forwarder. Needs root.
describe('IPv6 networks (in-process subsystem, real kernel)', () => {
  let h: NetHarness;
  let www: string;
  beforeAll(() => {
    www = mkdtempSync(join(tmpdir(), 'berth-www6-'));
    writeFileSync(join(www, 'index.html'), 'hello over six\n');
  });
  afterAll(() => rmSync(www, { recursive: true, force: true }));
  beforeEach(async () => {
    h = await startNetHarness();
  });
  afterEach(async () => {
    expect(await h.close()).toEqual([]);
  });

  const fetchFrom = async (netns: string, ip: string, port = 80) =>
    (await h.exec(netns, ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 ${ip} ${port}`]))
      .out;

  it('gives containers IPv6 addresses, routes, names (AAAA, PTR) and inspect fields', async () => {
    const subnet = randomSubnet6();
    const name = `${h.tag}-six`;
    await h.svc.createNetwork({ Name: name, EnableIPv6: true, IPAM: { Config: [{ Subnet: subnet }] } });
    const net = h.svc.network(name);
    expect(net.gateway6).toBe(subnet.replace('::/64', '::1'));
    const web = h.container(`${h.tag}-web`, {
      networkMode: name,
      endpoints: { [name]: { Aliases: ['front'] } },
      labels: { 'com.docker.compose.service': 'websvc' },
    });
    const client = h.container(`${h.tag}-client`, { networkMode: name });
    const a = await h.svc.attach(web);
    const b = await h.svc.attach(client);
    const webSettings = (h.svc.settings(web.id) as { Networks: Record<string, Endpoint6> }).Networks[name];
    const web6 = webSettings?.GlobalIPv6Address ?? '';
    expect(webSettings).toMatchObject({
      GlobalIPv6Address: subnet.replace('::/64', '::2'),
      GlobalIPv6PrefixLen: 64,
      IPv6Gateway: net.gateway6,
    });
    expect(a.hosts).toContainEqual([web6, web.hostname]);
    const nsA = a.netnsPath as string;
    const nsB = b.netnsPath as string;
    expect((await h.exec(nsA, ['ip', '-6', 'route'])).out).toContain(`default via ${net.gateway6} dev eth0`);
    // nodad and accept_dad=0: no address waits tentative.
    expect((await h.exec(nsA, ['ip', '-6', 'addr'])).out).not.toContain('tentative');
    for (const n of [web.name, 'front', 'websvc', web.id.slice(0, 12)]) {
      const res = await h.exec(nsB, ['nslookup', '-type=AAAA', n, net.gateway]);
      expect(res.out, n).toContain(web6);
    }
    const ptr = await h.exec(nsB, ['nslookup', web6, net.gateway]);
    expect(ptr.out).toContain(`${web.name}.${name}`);
    expect((await h.exec(nsB, ['ping', '-c', '1', '-W', '2', web6])).code).toBe(0);
    h.serve(nsA, ['httpd', '-f', '-p', '[::]:80', '-h', www]);
    const page = await pollFor(
      () => fetchFrom(nsB, web6),
      (t) => t.includes('hello over six'),
    );
    expect(page).toContain('200 OK');
    const view = (await import('../../../runtime/network/network-views.js')).networkView(
      h.svc.core.state,
      net,
    );
    const entry = (view.Containers as Record<string, { IPv6Address: string }>)[web.id];
    expect(entry?.IPv6Address).toBe(`${web6}/64`);
  });

  it('refuses IPv6 networks as dockerd 20.10 does, and isolates internal ones', async () => {
    await expect(h.svc.createNetwork({ Name: `${h.tag}-nosub`, EnableIPv6: true })).rejects.toThrow(
      'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network',
    );
    const [s1, s2] = [randomSubnet6(), randomSubnet6()];
    await expect(
      h.svc.createNetwork({
        Name: `${h.tag}-two`,
        EnableIPv6: true,
        IPAM: { Config: [{ Subnet: s1 }, { Subnet: s2 }] },
      }),
    ).rejects.toThrow("bridge driver doesn't support multiple subnets");
    await h.svc.createNetwork({
      Name: `${h.tag}-in`,
      EnableIPv6: true,
      Internal: true,
      IPAM: { Config: [{ Subnet: s1 }] },
    });
    await expect(
      h.svc.createNetwork({ Name: `${h.tag}-ov`, EnableIPv6: true, IPAM: { Config: [{ Subnet: s1 }] } }),
    ).rejects.toThrow('Pool overlaps with other one on this address space');
    expect(h.svc.core.state.networks.map((n) => n.Name)).not.toContain(`${h.tag}-ov`);
    const inside = await h.svc.attach(h.container(`${h.tag}-i`, { networkMode: `${h.tag}-in` }));
    expect((await h.exec(inside.netnsPath as string, ['ip', '-6', 'route'])).out).not.toContain('default');
    // Without EnableIPv6 an IPv6 config is echoed but unused.
    await h.svc.createNetwork({ Name: `${h.tag}-off`, IPAM: { Config: [{ Subnet: s2 }] } });
    expect(h.svc.network(`${h.tag}-off`).IPAM.Config.map((c) => c.Subnet)).toContain(s2);
    const off = await h.svc.attach(h.container(`${h.tag}-o`, { networkMode: `${h.tag}-off` }));
    expect((await h.exec(off.netnsPath as string, ['ip', '-6', 'addr'])).out).not.toContain('global');
  });

  it('publishes on [::1] and on every IPv6 address (DNAT to the container) and survives a crash', async () => {
    const name = `${h.tag}-pub6`;
    await h.svc.createNetwork({
      Name: name,
      EnableIPv6: true,
      IPAM: { Config: [{ Subnet: randomSubnet6() }] },
    });
    const [loop, wide] = [await freePort(), await freePort()];
    const view = h.container(`${h.tag}-p`, {
      networkMode: name,
      portBindings: {
        '80/tcp': [
          { HostIp: '::1', HostPort: String(loop) },
          { HostIp: '', HostPort: String(wide) },
        ],
      },
    });
    const ns = (await h.svc.attach(view)).netnsPath as string;
    h.serve(ns, ['httpd', '-f', '-p', '[::]:80', '-h', www]);
    const ip6 = h.svc.core.state.attached[view.id]?.endpoints[0]?.ip6 ?? '';
    const gateway6 = h.svc.network(name).gateway6 ?? '';
    const answers = async (host: string, port: number) =>
      pollFor(
        () => httpGet(host, port),
        (t) => t.includes('hello over six'),
      );
    expect(await answers('::1', loop)).toContain('200 OK');
    // A host address that is not loopback: the kernel's DNAT, no engine socket in the path.
    expect(await answers(gateway6, wide)).toContain('200 OK');
    expect(await answers('::1', wide)).toContain('200 OK');
    expect(await answers('127.0.0.1', wide)).toContain('200 OK');
    const rules = execFileSync('ip6tables-save', ['-t', 'nat'], { encoding: 'utf8' });
    expect(rules).toContain(`--dport ${wide} -j DNAT --to-destination [${ip6}]:80`);
    expect(rules).not.toContain(`--dport ${loop} -j DNAT`);
    await h.crashAndRestart();
    expect(await answers(gateway6, wide)).toContain('200 OK');
    expect(await answers('::1', loop)).toContain('200 OK');
  });

  it('connects a running container to an IPv6 network with a static address, and disconnects it', async () => {
    const subnet = randomSubnet6();
    const name = `${h.tag}-c6`;
    await h.svc.createNetwork({ Name: name, EnableIPv6: true, IPAM: { Config: [{ Subnet: subnet }] } });
    const peer = await h.svc.attach(h.container(`${h.tag}-peer`, { networkMode: name }));
    const mover = h.container(`${h.tag}-mover`);
    const m = await h.svc.attach(mover);
    const wanted = subnet.replace('::/64', '::99');
    await expect(
      h.svc.connect(name, mover.id, { IPAMConfig: { IPv6Address: '2001:db8::1' } }),
    ).rejects.toThrow('no configured subnet contains IP address 2001:db8::1');
    await h.svc.connect(name, mover.id, { IPAMConfig: { IPv6Address: wanted } });
    const ns = m.netnsPath as string;
    expect((await h.exec(ns, ['ip', '-o', '-6', 'addr'])).out).toMatch(
      new RegExp(`eth1\\s+inet6 ${wanted}/64`),
    );
    expect((await h.exec(peer.netnsPath as string, ['ping', '-c', '1', '-W', '2', wanted])).code).toBe(0);
    await h.svc.disconnect(name, mover.id);
    expect((await h.exec(ns, ['ip', '-o', 'link'])).out).not.toContain('eth1');
  });
});
