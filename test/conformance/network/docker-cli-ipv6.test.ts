import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { freePort, httpGet } from './net-tools.js';
import { startWebHarness, type WebHarness } from './web-harness.js';

/** A ULA /64 unique to this run. */
function randomSubnet6(): string {
  const hex = () => Math.floor(Math.random() * 0xffff).toString(16);
  return `fd${Math.floor(Math.random() * 255)
    .toString(16)
    .padStart(2, '0')}:${hex()}:${hex()}::/64`;
}

// The real docker CLI against the embedded engine (real containers under crun): IPv6 networks
// made with `network create --ipv6 --subnet`, containers reaching each other over IPv6 by name,
// inspect fields, `connect --ip6`, and a `-p [::1]:port:80` publication.
describe('docker CLI: IPv6 networks on the embedded engine', () => {
  let web: WebHarness;
  let net: string;
  let subnet: string;
  const docker = (args: string[]) => web.h.docker(args).then((r) => r.stdout.trim());
  beforeAll(async () => {
    web = await startWebHarness();
    net = web.h.name('six');
    subnet = randomSubnet6();
  });
  afterAll(async () => {
    if (web) expect(await web.close()).toEqual([]);
  });

  it('creates an IPv6 network and refuses one without an IPv6 subnet, as dockerd 20.10', async () => {
    const refused = await web.h.docker(['network', 'create', '--ipv6', web.h.name('nosub')], {
      allowFailure: true,
    });
    expect(refused.stderr).toContain(
      'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network',
    );
    await docker(['network', 'create', '--ipv6', '--subnet', subnet, net]);
    const inspect = JSON.parse(await docker(['network', 'inspect', net]))[0];
    expect(inspect.EnableIPv6).toBe(true);
    expect(inspect.IPAM.Config).toContainEqual({ Subnet: subnet });
  });

  it('runs containers that reach each other over IPv6 by name, with inspect fields', async () => {
    const server = web.h.name('web6');
    const port = await freePort();
    await docker([
      'run',
      '-d',
      '--name',
      server,
      '--network',
      net,
      '--network-alias',
      'front',
      '-p',
      `[::1]:${port}:80`,
      '-v',
      `${web.www}:/www:ro`,
      TEST_IMAGE,
      'httpd',
      '-f',
      '-p',
      '[::]:80',
      '-h',
      '/www',
    ]);
    const settings = JSON.parse(await docker(['inspect', server]))[0].NetworkSettings.Networks[net];
    const ip6 = subnet.replace('::/64', '::2');
    expect(settings).toMatchObject({
      GlobalIPv6Address: ip6,
      GlobalIPv6PrefixLen: 64,
      IPv6Gateway: subnet.replace('::/64', '::1'),
    });
    const containers = JSON.parse(await docker(['network', 'inspect', net]))[0].Containers;
    expect(Object.values(containers)).toContainEqual(expect.objectContaining({ IPv6Address: `${ip6}/64` }));
    const client = ['run', '--rm', '--network', net, TEST_IMAGE];
    expect(await docker([...client, 'nslookup', '-type=AAAA', 'front'])).toContain(ip6);
    await docker([...client, 'ping', '-6', '-c', '1', '-W', '2', server]);
    const page = await docker([
      ...client,
      'sh',
      '-c',
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${server} 80`,
    ]);
    expect(page).toContain('hello from berth');
    expect(await httpGet('::1', port)).toContain('hello from berth');
    expect(await docker(['exec', server, 'cat', '/etc/hosts'])).toContain(ip6);
  });

  it('connects a running container with --ip6 and disconnects it', async () => {
    const mover = web.h.name('mover6');
    await docker(['run', '-d', '--name', mover, TEST_IMAGE, 'sleep', '300']);
    const wanted = subnet.replace('::/64', '::77');
    await docker(['network', 'connect', '--ip6', wanted, net, mover]);
    expect(await docker(['exec', mover, 'ip', '-o', '-6', 'addr', 'show', 'eth1'])).toContain(`${wanted}/64`);
    expect(await docker(['exec', mover, 'cat', '/etc/hosts'])).toContain(wanted);
    await docker(['network', 'disconnect', net, mover]);
    expect(await docker(['exec', mover, 'ip', '-o', 'link'])).not.toContain('eth1');
    await docker(['rm', '-f', mover]);
  });
});
