import { describe, expect, it } from 'vitest';
import { chainNames, jumps, rulesetText } from '../../../../runtime/network/firewall-rules.js';
import { parseCidr } from '../../../../runtime/network/ipam.js';
import {
  bridgeUp,
  endpointContainerSide,
  endpointHostSide,
  hostEndsUp,
  hostVethName,
  macFor,
  namespaceSetup,
} from '../../../../runtime/network/link-commands.js';
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
  hostVeth: hostVethName('1234567890abcdef', index),
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

describe('firewall rules', () => {
  it("keeps every rule in the engine's own chains", async () => {
    const c = chainNames('berth0');
    const text = rulesetText(c, [bridge, app, internal], [web]);
    await expect(text).toMatchFileSnapshot('golden/ruleset.txt');
    const builtin = /-A (FORWARD|INPUT|OUTPUT|PREROUTING|POSTROUTING) /;
    expect(text).not.toMatch(builtin);
    expect(jumps(c).map((j) => `${j.table} ${j.chain} ${j.spec.join(' ')}`)).toMatchSnapshot();
    for (const name of Object.values(chainNames('brt12345678'))) expect(name.length).toBeLessThanOrEqual(28);
  });

  it('builds ip batches for bridges and endpoints', async () => {
    const lines = [
      ...bridgeUp(app).lines,
      ...endpointHostSide(app, web.endpoints[0] as EndpointRecord, web.netns).lines,
      ...endpointContainerSide(app, web.endpoints[0] as EndpointRecord, web.netns, { v4: true, v6: false })
        .lines,
      ...endpointContainerSide(internal, web.endpoints[1] as EndpointRecord, web.netns, {
        v4: false,
        v6: false,
      }).lines,
      '# start: inside the new namespace, then on the host',
      ...namespaceSetup(
        [
          { network: app, ep: web.endpoints[0] as EndpointRecord },
          { network: internal, ep: web.endpoints[1] as EndpointRecord },
        ],
        '/proc/1234/ns/net',
        web.endpoints[0],
      ),
      ...hostEndsUp([{ network: app, ep: web.endpoints[0] as EndpointRecord }]).lines,
    ];
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('golden/ip-batches.txt');
    expect(macFor('10.60.0.2')).toBe('02:42:0a:3c:00:02');
    expect(hostVethName('1234567890abcdef', 11).length).toBeLessThanOrEqual(15);
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
    const text = rulesetText(chainNames('berth0'), [quiet], []);
    expect(text).toContain('-i br-999999999999 -o br-999999999999 -j DROP');
    expect(text).not.toContain('-s 10.90.0.0/24 ! -o br-999999999999 -j MASQUERADE');
    expect(bridgeUp(quiet).lines).toContain('link set br-999999999999 mtu 1400');
    const ep = { ...(web.endpoints[0] as EndpointRecord), networkId: quiet.Id };
    expect(endpointHostSide(quiet, ep, web.netns).lines[0]).toContain('mtu 1400 type veth');
  });
});
