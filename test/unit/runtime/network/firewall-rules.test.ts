import { describe, expect, it } from 'vitest';
import { chainNames, jumps, rulesetText } from '../../../../runtime/network/firewall-rules.js';
import { parseCidr } from '../../../../runtime/network/ipam.js';
import { bridgeUp, macFor } from '../../../../runtime/network/link-commands.js';
import { idleNetavarkCleanup } from '../../../../runtime/network/netavark-chains.js';
import { netavarkOptions, netavarkPorts } from '../../../../runtime/network/netavark-options.js';
import { defaultBridgeRecord, newNetworkRecord } from '../../../../runtime/network/network-records.js';
import type { AttachedContainer, EndpointRecord } from '../../../../runtime/network/network-state.js';

const created = '2026-01-01T00:00:00.000Z';
const bridge = defaultBridgeRecord('b'.repeat(64), created, 'berth0', parseCidr('10.50.0.0/16'));
const pools = [{ base: '10.60.0.0/16', size: 24 }];
const app = newNetworkRecord({ Name: 'app' }, 'a'.repeat(64), created, pools, []);
const internal = newNetworkRecord({ Name: 'back', Internal: true }, 'c'.repeat(64), created, pools, [
  parseCidr(app.subnet),
]);

const ep = (networkId: string, ip: string, index: number): EndpointRecord => ({
  networkId,
  endpointId: 'e'.repeat(64),
  ifname: `eth${index}`,
  hostVeth: `veth${index}`,
  ip,
  mac: macFor(ip),
  aliases: [],
});
const web: AttachedContainer = {
  id: '1234567890abcdef',
  name: 'web',
  hostname: 'web',
  mode: 'bridge',
  netns: '/run/berth/netns/1234567890abcdef',
  endpoints: [ep(app.Id, '10.60.0.2', 0), ep(internal.Id, '10.60.1.2', 1)],
  ports: [
    { proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80 },
    { proto: 'udp', hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53 },
  ],
};

describe('netavark options and the rules of our own', () => {
  it('describes a container on two networks to netavark, ports with the published one only', async () => {
    const [pub, rest] = web.endpoints as [EndpointRecord, EndpointRecord];
    const first = netavarkOptions(web, [{ ep: pub, network: app, index: 0 }], web.ports);
    const second = netavarkOptions(web, [{ ep: rest, network: internal, index: 1 }], []);
    await expect(`${JSON.stringify([first, second], null, 2)}\n`).toMatchFileSnapshot(
      'golden/netavark-options.json',
    );
    expect(first.network_info[app.Id]?.options).toMatchObject({ isolate: 'true', metric: '100' });
    expect(second.network_info[internal.Id]?.internal).toBe(true);
    expect(first.port_mappings.map((p) => p.host_ip)).toEqual(['', '127.0.0.1']);
  });

  it('never hands netavark ::1 or ::, nor IPv6 addresses for an IPv4-only container', () => {
    const ports = [
      { proto: 'tcp' as const, hostIp: '0.0.0.0', hostPort: 80, containerPort: 80 },
      { proto: 'tcp' as const, hostIp: '::', hostPort: 80, containerPort: 80 },
      { proto: 'tcp' as const, hostIp: '::1', hostPort: 81, containerPort: 80 },
      { proto: 'udp' as const, hostIp: 'fd00::5', hostPort: 82, containerPort: 53 },
    ];
    expect(netavarkPorts(ports, false).map((p) => `${p.host_ip}:${p.host_port}`)).toEqual([':80']);
    expect(netavarkPorts(ports, true).map((p) => `${p.host_ip}:${p.host_port}`)).toEqual([
      ':80',
      'fd00::5:82',
    ]);
  });

  it("removes netavark's global chains only when no netavark network is left", async () => {
    const idle = [
      '*filter',
      ':FORWARD DROP [0:0]',
      ':NETAVARK_FORWARD - [0:0]',
      ':NETAVARK_ISOLATION_1 - [0:0]',
      ':NETAVARK_ISOLATION_2 - [0:0]',
      '-A FORWARD -j NETAVARK_ISOLATION_1',
      '-A FORWARD -m comment --comment "netavark firewall plugin rules" -j NETAVARK_FORWARD',
      '-A FORWARD -j DOCKER-USER',
      'COMMIT',
      '*nat',
      ':POSTROUTING ACCEPT [0:0]',
      ':NETAVARK-HOSTPORT-DNAT - [0:0]',
      ':NETAVARK-HOSTPORT-MASQ - [0:0]',
      ':NETAVARK-HOSTPORT-SETMARK - [0:0]',
      '-A PREROUTING -m addrtype --dst-type LOCAL -j NETAVARK-HOSTPORT-DNAT',
      '-A POSTROUTING -j NETAVARK-HOSTPORT-MASQ',
      '-A NETAVARK-HOSTPORT-MASQ -m comment --comment "netavark portfw masq mark" -m mark --mark 0x2000/0x2000 -j MASQUERADE',
      '-A NETAVARK-HOSTPORT-SETMARK -j MARK --set-xmark 0x2000/0x2000',
      'COMMIT',
      '',
    ].join('\n');
    await expect(idleNetavarkCleanup(idle)).toMatchFileSnapshot('golden/netavark-cleanup.txt');
    const busy = idle.replace('COMMIT\n*nat', '-A NETAVARK_FORWARD -s 10.1.0.0/24 -j ACCEPT\nCOMMIT\n*nat');
    expect(idleNetavarkCleanup(busy)).toBe('');
    const otherNetwork = idle.replace(
      ':NETAVARK-HOSTPORT-DNAT',
      ':NETAVARK-1A2B3C4D5E6F7 - [0:0]\n:NETAVARK-HOSTPORT-DNAT',
    );
    expect(idleNetavarkCleanup(otherNetwork)).toBe('');
    expect(idleNetavarkCleanup('*filter\n:FORWARD DROP [0:0]\nCOMMIT\n')).toBe('');
  });

  it('keeps only the bridge options netavark lacks in our own chains', async () => {
    const c = chainNames('berth0');
    expect(rulesetText(c, [bridge, app, internal])).toBe('');
    expect(jumps(c, 4).map((j) => `${j.table} ${j.chain} ${j.spec.join(' ')}`)).toMatchSnapshot();
    for (const name of Object.values(chainNames('brt12345678'))) expect(name.length).toBeLessThanOrEqual(28);
    await expect(`${bridgeUp(app).lines.join('\n')}\n`).toMatchFileSnapshot('golden/ip-batches.txt');
    expect(macFor('10.60.0.2')).toBe('02:42:0a:3c:00:02');
  });

  it('honours the bridge driver options icc, ip_masquerade and mtu', () => {
    const quiet = newNetworkRecord(
      {
        Name: 'quiet',
        Options: {
          'com.docker.network.bridge.enable_icc': 'false',
          'com.docker.network.bridge.enable_ip_masquerade': 'false',
          'com.docker.network.driver.mtu': '1400',
        },
      },
      '9'.repeat(64),
      created,
      [{ base: '10.90.0.0/16', size: 24 }],
      [],
    );
    const text = rulesetText(chainNames('berth0'), [quiet]);
    expect(text).toContain('-i br-999999999999 -o br-999999999999 -j DROP');
    expect(text).toContain('-s 10.90.0.0/24 ! -o br-999999999999 -j ACCEPT');
    expect(bridgeUp(quiet).lines).toContain('link set br-999999999999 mtu 1400');
    expect(
      netavarkOptions(web, [{ ep: web.endpoints[0] as EndpointRecord, network: quiet, index: 0 }], [])
        .network_info[quiet.Id]?.options.mtu,
    ).toBe('1400');
  });
});
