import { describe, expect, it } from 'vitest';
import {
  allocateAddress,
  allocateSubnet,
  DEFAULT_POOLS,
  formatCidr,
  formatIp,
  overlaps,
  parseCidr,
  parseIp,
  routedSubnets,
} from '../../../../runtime/network/ipam.js';

describe('ipam', () => {
  it('parses and formats addresses and CIDRs', () => {
    expect(formatIp(parseIp('10.1.2.3'))).toBe('10.1.2.3');
    expect(formatIp(parseIp('255.255.255.255'))).toBe('255.255.255.255');
    expect(formatCidr(parseCidr('172.18.5.9/16'))).toBe('172.18.0.0/16');
    expect(() => parseIp('10.1.2')).toThrow(/invalid IPv4 address: 10.1.2/);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/invalid CIDR/);
  });

  it('detects overlaps in both directions', () => {
    expect(overlaps(parseCidr('172.16.0.0/12'), parseCidr('172.17.3.0/24'))).toBe(true);
    expect(overlaps(parseCidr('172.17.3.0/24'), parseCidr('172.16.0.0/12'))).toBe(true);
    expect(overlaps(parseCidr('172.17.0.0/16'), parseCidr('172.18.0.0/16'))).toBe(false);
  });

  it('allocates the first subnet of the pools that avoids routes and networks', () => {
    const routes = routedSubnets(
      'default via 192.0.2.1 dev eth0\n172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1\n' +
        '192.0.2.0/24 dev eth0 proto kernel scope link\nlocal 127.0.0.1 dev lo table local\n',
    );
    expect(routes.map(formatCidr)).toEqual(['172.17.0.0/16', '192.0.2.0/24']);
    expect(formatCidr(allocateSubnet(DEFAULT_POOLS, routes))).toBe('172.18.0.0/16');
    const taken = [...routes, parseCidr('172.18.0.0/16')];
    expect(formatCidr(allocateSubnet(DEFAULT_POOLS, taken))).toBe('172.19.0.0/16');
    const pool = [{ base: '10.77.0.0/16', size: 24 }];
    expect(formatCidr(allocateSubnet(pool, [parseCidr('10.77.0.0/23')]))).toBe('10.77.2.0/24');
  });

  it("fails with Docker's message when the pools are exhausted", () => {
    const pool = [{ base: '10.77.0.0/24', size: 24 }];
    expect(() => allocateSubnet(pool, [parseCidr('10.0.0.0/8')])).toThrow(/could not find an available/);
  });

  it('allocates addresses after the gateway, inside an IP range, never the broadcast', () => {
    const subnet = parseCidr('10.9.0.0/29');
    const used = new Set([parseIp('10.9.0.1')]);
    expect(formatIp(allocateAddress(subnet, used))).toBe('10.9.0.2');
    expect(formatIp(allocateAddress(subnet, used, parseCidr('10.9.0.4/30')))).toBe('10.9.0.4');
    for (let i = 2; i <= 6; i++) used.add(parseIp(`10.9.0.${i}`));
    expect(() => allocateAddress(subnet, used)).toThrow(/no available IPv4 addresses/);
  });
});
