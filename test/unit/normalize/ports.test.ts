import { describe, expect, it } from 'vitest';
import { problemsOf, service } from './helpers.js';

const ports = (...items: string[]) => service(`{ image: x, ports: [${items.join(', ')}] }`).ports;

describe('ports', () => {
  it('reads the short syntax', () => {
    expect(ports('80')).toEqual([{ target: 80, protocol: 'tcp', mode: 'ingress' }]);
    expect(ports('"8080:80"')).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }]);
    expect(ports('"127.0.0.1:8080:80/udp"')).toEqual([
      { target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'udp', mode: 'ingress' },
    ]);
    expect(ports('"127.0.0.1::80"')).toEqual([
      { target: 80, host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
    ]);
  });

  it('reads IPv6 host addresses, bracketed or not', () => {
    const expected = [{ target: 80, published: '8080', host_ip: '::1', protocol: 'tcp', mode: 'ingress' }];
    expect(ports('"[::1]:8080:80"')).toEqual(expected);
    expect(ports('"::1:8080:80"')).toEqual(expected);
  });

  it('expands ranges pairwise and keeps a host range for one container port', () => {
    expect(ports('"9000-9001:8000-8001"')).toEqual([
      { target: 8000, published: '9000', protocol: 'tcp', mode: 'ingress' },
      { target: 8001, published: '9001', protocol: 'tcp', mode: 'ingress' },
    ]);
    expect(ports('"3000-3001"').map((p) => p.target)).toEqual([3000, 3001]);
    expect(ports('"8000-8010:80"')).toEqual([
      { target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' },
    ]);
  });

  it('reads the long syntax', () => {
    expect(
      ports('{ target: 80, published: 8080, host_ip: 0.0.0.0, protocol: udp, mode: host, name: web }'),
    ).toEqual([
      { target: 80, published: '8080', host_ip: '0.0.0.0', protocol: 'udp', mode: 'host', name: 'web' },
    ]);
  });

  it('reports every bad port at its place', () => {
    expect(problemsOf(() => ports('"80:x"', '"1-3:1-2"', '"70000"', '"80/icmp"'))).toEqual([
      'services.s.ports[0]: invalid port "80:x"',
      'services.s.ports[1]: invalid port "1-3:1-2": host range and container range differ in size',
      'services.s.ports[2]: invalid port "70000": out of range',
      'services.s.ports[3]: invalid protocol "icmp": must be tcp, udp or sctp',
    ]);
  });
});
