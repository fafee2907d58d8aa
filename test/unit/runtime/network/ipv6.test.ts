import { describe, expect, it } from 'vitest';
import {
  buildResponse,
  parseQuery,
  reverseAddress,
  TYPE_AAAA,
} from '../../../../runtime/network/dns-codec.js';
import { resolveQuestion } from '../../../../runtime/network/dns-names.js';
import { chainNames, jumps, rulesetText } from '../../../../runtime/network/firewall-rules.js';
import {
  allocateAddress6,
  formatIp6,
  overlaps6,
  parseCidr6,
  parseIp6,
} from '../../../../runtime/network/ipam6.js';
import { bridgeUp6, macFor } from '../../../../runtime/network/link-commands.js';
import { netavarkOptions } from '../../../../runtime/network/netavark-options.js';
import { newNetworkRecord } from '../../../../runtime/network/network-records.js';
import type {
  AttachedContainer,
  EndpointRecord,
  NetworkState,
} from '../../../../runtime/network/network-state.js';

const created = '2026-01-01T00:00:00.000Z';
const pools = [{ base: '10.60.0.0/16', size: 24 }];
const six = newNetworkRecord(
  { Name: 'six', EnableIPv6: true, IPAM: { Config: [{ Subnet: 'fd00:dead:beef::/64' }] } },
  'a'.repeat(64),
  created,
  pools,
  [],
);

describe('IPv6 address management', () => {
  it('parses and formats addresses in RFC 5952 form', () => {
    for (const [text, canonical] of [
      ['fd00:dead:beef::1', 'fd00:dead:beef::1'],
      ['FD00:0:0:0:0:0:0:1', 'fd00::1'],
      ['::', '::'],
      ['::ffff:10.1.2.3', '::ffff:a01:203'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ])
      expect(formatIp6(parseIp6(text as string))).toBe(canonical);
    expect(() => parseIp6('fd00::zz')).toThrow('invalid IPv6 address: fd00::zz');
    expect(() => parseCidr6('fd00::/129')).toThrow('invalid CIDR address');
  });

  it('allocates the lowest free address of the subnet or range', () => {
    const subnet = parseCidr6('fd00:1::/64');
    expect(formatIp6(allocateAddress6(subnet, new Set([parseIp6('fd00:1::1')])))).toBe('fd00:1::2');
    const range = parseCidr6('fd00:1::100/120');
    expect(formatIp6(allocateAddress6(subnet, new Set(), range))).toBe('fd00:1::100');
    expect(() => allocateAddress6(parseCidr6('fd00:1::/127'), new Set([parseIp6('fd00:1::1')]))).toThrow(
      'no available IPv6 addresses',
    );
    expect(overlaps6(parseCidr6('fd00:1::/48'), parseCidr6('fd00:1:0:5::/64'))).toBe(true);
  });

  it("chooses a network's IPv6 side as dockerd 20.10 does", () => {
    expect(six).toMatchObject({ subnet6: 'fd00:dead:beef::/64', gateway6: 'fd00:dead:beef::1' });
    // The IPv6 config is echoed as given (no Gateway filled in), after the chosen IPv4 one.
    expect(six.IPAM.Config[1]).toEqual({ Subnet: 'fd00:dead:beef::/64' });
    const body = (Config: Array<Record<string, string>>, EnableIPv6 = true) => ({
      Name: 'x',
      EnableIPv6,
      IPAM: { Config },
    });
    const make = (b: ReturnType<typeof body>, taken = [parseCidr6('fd00:9::/64')]) =>
      newNetworkRecord(b, 'b'.repeat(64), created, pools, [], taken);
    expect(() => make(body([]))).toThrow('could not find an available, non-overlapping IPv6 address pool');
    expect(() => make(body([{ Subnet: 'fd00:1::/64' }, { Subnet: 'fd00:2::/64' }]))).toThrow(
      "bridge driver doesn't support multiple subnets",
    );
    expect(() => make(body([{ Subnet: 'fd00:9::/80' }]))).toThrow('Pool overlaps');
    expect(() => make(body([{ Subnet: 'fd00:1::/64', Gateway: 'fd00:3::1' }]))).toThrow(
      'failed to allocate gateway (fd00:3::1): Requested address is out of range',
    );
    expect(() => make(body([{ Subnet: 'fd00:1::zz/64' }]))).toThrow(
      'Invalid subnet fd00:1::zz/64 : invalid CIDR address: fd00:1::zz/64',
    );
    expect(make(body([{ Subnet: 'fd00:1::/64', Gateway: 'fd00:1::fe' }])).gateway6).toBe('fd00:1::fe');
    expect(make(body([{ Subnet: 'fd00:1::/64' }], false)).subnet6).toBeUndefined();
    // Field names match case-insensitively, as Go's JSON decoding does in dockerd.
    const lower = make(body([{ subnet: 'fd00:4::/64', gateway: 'fd00:4::9', ip_range: 'x' }]));
    expect(lower).toMatchObject({ subnet6: 'fd00:4::/64', gateway6: 'fd00:4::9' });
    expect(lower.IPAM.Config[1]).toEqual({ Subnet: 'fd00:4::/64', Gateway: 'fd00:4::9' });
  });
});

const ep: EndpointRecord = {
  networkId: six.Id,
  endpointId: 'e'.repeat(64),
  ifname: 'eth0',
  hostVeth: 'veth0',
  ip: six.gateway.replace(/\.1$/, '.2'),
  ip6: 'fd00:dead:beef::2',
  mac: macFor(six.gateway.replace(/\.1$/, '.2')),
  aliases: ['front'],
};
const web: AttachedContainer = {
  id: '1234567890abcdef',
  name: 'web',
  hostname: 'web',
  mode: 'bridge',
  netns: '/run/berth/netns/1234567890abcdef',
  endpoints: [ep],
  ports: [
    { proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80 },
    { proto: 'tcp', hostIp: '::', hostPort: 8080, containerPort: 80 },
    { proto: 'tcp', hostIp: '::1', hostPort: 8081, containerPort: 80 },
  ],
};

describe('IPv6 plumbing as data', () => {
  it('hands netavark IPv6 subnets and addresses, and keeps ::1 un-NATed in our own chain', async () => {
    const c = chainNames('berth0');
    const text = rulesetText(c, [six], 6);
    await expect(text).toMatchFileSnapshot('golden/ruleset6.txt');
    expect(text).toContain('-d ::1/128 -j ACCEPT');
    expect(rulesetText(c, [{ ...six, subnet6: undefined, gateway6: undefined }], 6)).toBe('');
    expect(jumps(c, 6).find((j) => j.chain === 'OUTPUT')?.spec).toEqual(['-j', c.output]);
    const options = netavarkOptions(web, [{ ep, network: six, index: 0 }], web.ports);
    expect(options.networks[six.Id]?.static_ips).toEqual([ep.ip, 'fd00:dead:beef::2']);
    expect(options.network_info[six.Id]?.ipv6_enabled).toBe(true);
    expect(options.port_mappings.map((p) => `${p.host_ip}:${p.host_port}`)).toEqual([':8080']);
  });

  it('adds the bridge IPv6 gateway without DAD', async () => {
    await expect(`${bridgeUp6(six).lines.join('\n')}\n`).toMatchFileSnapshot('golden/ip-batches6.txt');
  });
});

describe('IPv6 service discovery', () => {
  const peer: AttachedContainer = {
    ...web,
    id: 'fedcba0987654321',
    name: 'peer',
    hostname: 'peer',
    endpoints: [{ ...ep, ip: '10.60.0.3', ip6: 'fd00:dead:beef::3', aliases: [] }],
    ports: [],
  };
  const state: NetworkState = {
    version: 1,
    networks: [six],
    attached: { [web.id]: web, [peer.id]: peer },
    configured: {},
  };
  const ask = (name: string, type: number, src = '10.60.0.3') =>
    resolveQuestion(state, src, { id: 1, recursionDesired: true, name, type, qclass: 1, end: 0 }, (x) => x);

  it('answers AAAA for names and aliases, and PTR under ip6.arpa', () => {
    expect(ask('front', TYPE_AAAA)).toEqual({
      kind: 'answer',
      rcode: 0,
      answers: [{ type: TYPE_AAAA, address: 'fd00:dead:beef::2' }],
    });
    // A querier may use its IPv6 address as the source.
    expect(ask('web', TYPE_AAAA, 'fd00:dead:beef::3').kind).toBe('answer');
    const rev = `${[...'fd00deadbeef00000000000000000002'].reverse().join('.')}.ip6.arpa`;
    expect(reverseAddress(rev)).toBe('fd00:dead:beef::2');
    expect(ask(rev, 12)).toMatchObject({ answers: [{ type: 12, target: 'web.six' }] });
  });

  it('encodes AAAA records as 16 address bytes', () => {
    const query = Buffer.from([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 119, 101, 98, 0, 0, 28, 0, 1]);
    const q = parseQuery(query);
    if (!q) throw new Error('query not parsed');
    const reply = buildResponse(query, q, 0, [{ type: TYPE_AAAA, address: 'fd00::2' }]);
    expect(reply.readUInt16BE(6)).toBe(1);
    expect(reply.subarray(reply.length - 16).toString('hex')).toBe('fd000000000000000000000000000002');
  });
});
