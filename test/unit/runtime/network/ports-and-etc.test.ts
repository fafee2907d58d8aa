import { describe, expect, it } from 'vitest';
import { extraHostLines, parseLink, resolvConf } from '../../../../runtime/network/etc-files.js';
import { newNetworkRecord } from '../../../../runtime/network/network-records.js';
import { portRequests } from '../../../../runtime/network/port-mappings.js';

describe('port requests', () => {
  it('reads bindings, ranges, host addresses, ephemeral ports and PublishAllPorts', () => {
    const requests = portRequests(
      {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }, { HostPort: '' }],
        '53/udp': [{ HostIp: '', HostPort: '5353' }],
        '9000': [{ HostPort: '9000-9010' }],
        '443/tcp': null as unknown as [],
      },
      true,
      ['80/tcp', '22/tcp', '53/udp'],
    );
    // Integer-like keys come first in a JS object, as they do in the parsed JSON body.
    // An empty HostIp publishes on IPv6 too, as Docker does; an explicit address only there.
    const all = { hostIp: '0.0.0.0', alsoIpv6: true };
    expect(requests).toEqual([
      { proto: 'tcp', ...all, first: 9000, last: 9010, containerPort: 9000 },
      { proto: 'tcp', hostIp: '127.0.0.1', first: 8080, last: 8080, containerPort: 80 },
      { proto: 'tcp', ...all, first: 0, last: 0, containerPort: 80 },
      { proto: 'udp', ...all, first: 5353, last: 5353, containerPort: 53 },
      { proto: 'tcp', ...all, first: 0, last: 0, containerPort: 443 },
      { proto: 'tcp', ...all, first: 0, last: 0, containerPort: 22 },
    ]);
  });

  it('names the bad port in its message', () => {
    expect(() => portRequests({ '80/xyz': [] }, false, [])).toThrow(/invalid port specification: "80\/xyz"/);
    expect(() => portRequests({ '80': [{ HostPort: '70000' }] }, false, [])).toThrow(
      /invalid hostPort: 70000/,
    );
  });
});

describe('/etc files', () => {
  it('parses extra hosts (host-gateway too) and links', () => {
    expect(extraHostLines(['db:10.0.0.5', 'v6:::1', 'gw:host-gateway'], '10.9.0.1')).toEqual([
      ['10.0.0.5', 'db'],
      ['::1', 'v6'],
      ['10.9.0.1', 'gw'],
    ]);
    expect(() => extraHostLines(['nonsense'], '')).toThrow(/invalid extra host entry: "nonsense"/);
    expect(parseLink('db:database')).toEqual({ name: 'db', alias: 'database' });
    expect(parseLink('/db:/web/database')).toEqual({ name: 'db', alias: 'database' });
    expect(parseLink('db')).toEqual({ name: 'db', alias: 'db' });
  });

  it('points user networks at the embedded resolver and the default bridge at the host resolvers', () => {
    const host = 'nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch corp.example\n';
    expect(
      resolvConf({ embedded: '10.1.0.1', hostResolvConf: host, dns: [], dnsSearch: [], dnsOptions: [] }),
    ).toBe('nameserver 10.1.0.1\nsearch corp.example\noptions ndots:0\n');
    expect(
      resolvConf({ hostResolvConf: host, dns: [], dnsSearch: ['a.example'], dnsOptions: ['timeout:1'] }),
    ).toBe('nameserver 192.0.2.53\nsearch a.example\noptions timeout:1\n');
  });
});

describe('network records', () => {
  const pools = [{ base: '10.80.0.0/16', size: 24 }];
  it('echoes what was given and fills in the chosen subnet and gateway', () => {
    const n = newNetworkRecord(
      {
        Name: 'app',
        Labels: { a: '1' },
        Options: { o: '2' },
        IPAM: { Config: [{ Subnet: '10.81.0.0/24', IPRange: '10.81.0.128/25' }] },
      },
      'f'.repeat(64),
      't',
      pools,
      [],
    );
    expect(n.IPAM.Config).toEqual([
      { Subnet: '10.81.0.0/24', Gateway: '10.81.0.1', IPRange: '10.81.0.128/25' },
    ]);
    expect(n.bridge).toBe('br-ffffffffffff');
    expect(n.Labels).toEqual({ a: '1' });
    expect(n.Options).toEqual({ o: '2' });
  });

  it('refuses bad names, drivers, overlapping pools and gateways outside the subnet', () => {
    const make = (body: Parameters<typeof newNetworkRecord>[0]) =>
      newNetworkRecord(body, 'f'.repeat(64), 't', pools, [{ base: 0x0a520000, prefix: 16 }]);
    expect(() => make({ Name: '-bad' })).toThrow(/invalid network name "-bad"/);
    expect(() => make({ Name: 'x', Driver: 'overlay' })).toThrow(/plugin "overlay" not found/);
    expect(() => make({ Name: 'x', Driver: 'host' })).toThrow(
      /only one instance of "host" network is allowed/,
    );
    expect(() => make({ Name: 'x', IPAM: { Config: [{ Subnet: '10.82.3.0/24' }] } })).toThrow(
      /Pool overlaps/,
    );
    expect(() =>
      make({ Name: 'x', IPAM: { Config: [{ Subnet: '10.83.0.0/24', Gateway: '10.84.0.1' }] } }),
    ).toThrow(/no matching subnet for gateway 10.84.0.1/);
  });
});
