import { describe, expect, it } from 'vitest';
import { parseAddressPool, parseAddressPools } from '../../../../runtime/network/address-pool-flag.js';
import { allocateSubnet, formatCidr, parseCidr } from '../../../../runtime/network/ipam.js';

describe('--address-pool base=CIDR,size=N', () => {
  it('reads base and size in either order, as dockerd default-address-pools', () => {
    expect(parseAddressPool('base=10.10.0.0/16,size=24')).toEqual({ base: '10.10.0.0/16', size: 24 });
    expect(parseAddressPool('size=26, base=10.20.0.0/22')).toEqual({ base: '10.20.0.0/22', size: 26 });
    expect(parseAddressPools(undefined)).toBeUndefined();
    expect(parseAddressPools([])).toBeUndefined();
  });

  it('new networks take consecutive subnets of the pool, then the next pool', () => {
    const pools = parseAddressPools(['base=10.10.0.0/23,size=24', 'base=10.30.0.0/16,size=28']) ?? [];
    const first = allocateSubnet(pools, []);
    const second = allocateSubnet(pools, [first]);
    const third = allocateSubnet(pools, [first, second]);
    expect([first, second, third].map(formatCidr)).toEqual(['10.10.0.0/24', '10.10.1.0/24', '10.30.0.0/28']);
    expect(() => allocateSubnet(pools.slice(0, 1), [first, second])).toThrow(/non-overlapping/);
    expect(allocateSubnet(pools, [parseCidr('10.10.0.0/16')]).prefix).toBe(28);
  });

  it.each([
    ['base=10.0.0.0/16', /needs both base and size/],
    ['size=24', /needs both base and size/],
    ['base=10.0.0.0/16,size=24,scope=local', /unexpected key 'scope'/],
    ['base=10.0.0.0/16,size', /'size' needs exactly one value/],
    ['base=10.0.0.0/16,size=8', /size 8 must be between the base's prefix length \(16\) and 30/],
    ['base=10.0.0.0/16,size=big', /size big/],
    ['base=10.0.0.0,size=24', /is not a CIDR/],
    ['base=10.0.300.0/16,size=24', /invalid IPv4 address/],
  ])('refuses %s with one message naming it', (value, message) => {
    expect(() => parseAddressPool(value)).toThrow(message);
  });
});
