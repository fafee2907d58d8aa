import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCidr, overlaps, parseCidr } from '../../../runtime/network/ipam.js';
import type { ContainerHarness } from '../../conformance/containers/harness.js';
import { freePort, httpdArgs, httpGet, plumbingLeft } from '../../conformance/network/net-tools.js';
import { startWebHarness, type WebHarness } from '../../conformance/network/web-harness.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { DOCKER_CLI } from '../../support/docker-cli.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { eventually } from '../../support/eventually.js';

const run = promisify(execFile);
/** The berth CLI as built by `npm run build`. */
const BERTH_CLI = resolve(import.meta.dirname, '../../../dist/src/cli/main.js');

/** Whether a TCP port on 127.0.0.1 can be listened on right now. */
function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
const DOCKER = DOCKER_CLI;

// The real docker CLI against the embedded engine: network create/ls/inspect/connect/disconnect/rm.
describe('docker CLI: networks on the embedded engine', () => {
  let engine: EmbeddedEngine;
  let bridge: string;
  const docker = async (args: string[]) => {
    const { stdout } = await run(DOCKER, args, {
      env: { ...process.env, DOCKER_HOST: engine.host, DOCKER_BUILDKIT: '0' },
    });
    return stdout.trim();
  };
  const dockerFails = async (args: string[]) => {
    try {
      await docker(args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    throw new Error(`docker ${args.join(' ')} succeeded`);
  };

  // New networks draw /28s from this engine's own pool (--address-pool), as with dockerd's
  // default-address-pools.
  const pool = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}.0/24`;

  beforeAll(async () => {
    engine = await startEmbeddedEngine({ args: ['--address-pool', `base=${pool},size=28`] });
    bridge = JSON.parse(await docker(['network', 'inspect', 'bridge']))[0].Options[
      'com.docker.network.bridge.name'
    ];
  });
  afterAll(async () => {
    await engine?.stop();
    if (bridge) expect(plumbingLeft(bridge)).toEqual([]);
  });

  it('lists the predefined networks', async () => {
    const names = (await docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}}'])).split('\n').sort();
    expect(names).toEqual(['bridge bridge', 'host host', 'none null']);
    expect(bridge).toMatch(/^\w+$/);
    expect(await dockerFails(['network', 'rm', 'bridge'])).toContain(
      'bridge is a pre-defined network and cannot be removed',
    );
  });

  it('creates, filters, inspects (echoing what was given) and removes a network', async () => {
    const name = `${engine.prefix}-net`;
    const third = 100 + Math.floor(Math.random() * 150);
    const subnet = `10.${third}.${Math.floor(Math.random() * 250)}.0/24`;
    const id = await docker([
      'network',
      'create',
      '--label',
      'com.example=yes',
      '--subnet',
      subnet,
      '--opt',
      'com.example.opt=1',
      '--internal',
      name,
    ]);
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    expect(await docker(['network', 'ls', '-q', '--no-trunc', '--filter', 'label=com.example=yes'])).toBe(id);
    expect(
      await docker(['network', 'ls', '-q', '--filter', 'type=custom', '--filter', `name=${engine.prefix}`]),
    ).toBe(id.slice(0, 12));
    const inspect = JSON.parse(await docker(['network', 'inspect', name]))[0];
    expect(inspect).toMatchObject({
      Id: id,
      Name: name,
      Driver: 'bridge',
      Internal: true,
      Labels: { 'com.example': 'yes' },
      Options: { 'com.example.opt': '1' },
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
    });
    expect(await dockerFails(['network', 'create', name])).toContain(
      `network with name ${name} already exists`,
    );
    const bridgeName = `br-${id.slice(0, 12)}`;
    expect(execFileSync('ip', ['-o', 'link', 'show', bridgeName], { encoding: 'utf8' })).toContain(
      bridgeName,
    );
    await docker(['network', 'rm', name]);
    expect(await dockerFails(['network', 'inspect', name])).toMatch(/No such network|not found/);
    expect(plumbingLeft(bridgeName)).toEqual([]);
    // Gateway, IPRange and Attachable come back exactly as given, nothing added to the IPAM config.
    const full = `${engine.prefix}-full`;
    const base = `10.${third}.${(Math.floor(Math.random() * 250) + 3) % 256}`;
    await docker([
      'network',
      'create',
      '--subnet',
      `${base}.0/24`,
      '--gateway',
      `${base}.254`,
      '--ip-range',
      `${base}.128/25`,
      '--attachable',
      full,
    ]);
    const echoed = JSON.parse(await docker(['network', 'inspect', full]))[0];
    expect(echoed.IPAM.Config).toEqual([
      { Subnet: `${base}.0/24`, Gateway: `${base}.254`, IPRange: `${base}.128/25` },
    ]);
    expect(echoed).toMatchObject({ Attachable: true, Internal: false, EnableIPv6: false });
    await docker(['network', 'rm', full]);
  });

  it('takes the subnets of new networks from the --address-pool', async () => {
    const names = [`${engine.prefix}-pool1`, `${engine.prefix}-pool2`];
    for (const name of names) await docker(['network', 'create', name]);
    const subnets = await Promise.all(
      names.map(async (n) => JSON.parse(await docker(['network', 'inspect', n]))[0].IPAM.Config[0].Subnet),
    );
    const base = pool.slice(0, pool.lastIndexOf('.'));
    for (const subnet of subnets)
      expect(subnet).toMatch(new RegExp(`^${base.replace(/\./g, '\\.')}\\.\\d+/28$`));
    expect(new Set(subnets).size).toBe(2);
    await docker(['network', 'rm', ...names]);
  });

  it('prunes unused networks by label', async () => {
    await docker(['network', 'create', '--label', 'prune=me', `${engine.prefix}-p1`]);
    await docker(['network', 'create', `${engine.prefix}-keep`]);
    const out = await docker(['network', 'prune', '-f', '--filter', 'label=prune=me']);
    expect(out).toContain(`${engine.prefix}-p1`);
    expect(
      await docker(['network', 'ls', '--format', '{{.Name}}', '--filter', `name=${engine.prefix}`]),
    ).toBe(`${engine.prefix}-keep`);
    await docker(['network', 'rm', `${engine.prefix}-keep`]);
  });
});

// Containers on networks through the docker CLI, on the embedded engine with real containers
// (crun), then kill -9 of the engine and a restart. docker-compose 1.29: compose-v1.test.ts.
describe('docker CLI: containers on networks', () => {
  let web: WebHarness;
  let h: ContainerHarness;
  let www: string;
  beforeAll(async () => {
    web = await startWebHarness();
    ({ h, www } = web);
  });
  afterAll(async () => {
    if (web) expect(await web.close()).toEqual([]);
  });

  it('run -p publishes on 127.0.0.1 and an ephemeral port; names resolve on the network only', async () => {
    const net = h.name('app');
    const other = h.name('other');
    await h.docker(['network', 'create', net]);
    await h.docker(['network', 'create', other]);
    const port = await freePort();
    const web = h.name('web');
    await h.docker([
      'run',
      '-d',
      '--name',
      web,
      '--network',
      net,
      '--network-alias',
      'front',
      '-p',
      `127.0.0.1:${port}:80`,
      '-p',
      '127.0.0.1::8080',
      ...httpdArgs(TEST_IMAGE, www),
    ]);
    const body = await eventually(async () => {
      const text = await httpGet('127.0.0.1', port);
      return text.includes('hello from berth') ? text : false;
    });
    expect(body).toContain('200 OK');
    const mapped = (await h.docker(['port', web, '8080'])).stdout.trim();
    expect(mapped).toMatch(/^127\.0\.0\.1:(\d+)$/);
    expect(Number(mapped.split(':')[1])).toBeGreaterThanOrEqual(49153);
    const ps = (await h.docker(['ps', '--filter', `name=${web}`, '--format', '{{.Ports}}'])).stdout;
    expect(ps).toContain(`127.0.0.1:${port}->80/tcp`);
    const ip = JSON.parse((await h.docker(['inspect', web])).stdout)[0].NetworkSettings.Networks[net]
      .IPAddress;
    for (const name of [web, 'front']) {
      const out = (await h.docker(['run', '--rm', '--network', net, TEST_IMAGE, 'nslookup', name])).stdout;
      expect(out, name).toContain(`Address: ${ip}`);
    }
    const across = await h.docker(['run', '--rm', '--network', other, TEST_IMAGE, 'nslookup', web], {
      allowFailure: true,
    });
    expect(across.stdout).not.toContain(ip);
    const clash = await h.docker(
      ['run', '-d', '--name', h.name('clash'), '-p', `127.0.0.1:${port}:80`, TEST_IMAGE, 'sleep', '30'],
      {
        allowFailure: true,
      },
    );
    expect(clash.stderr).toMatch(
      /driver failed programming external connectivity on endpoint .*port is already allocated/,
    );
  });

  it('run -p without a host address publishes on 0.0.0.0 and :: with one port, as Docker does', async () => {
    const port = await freePort();
    const web = h.name('dual');
    await h.docker(['run', '-d', '--name', web, '-p', `${port}:80`, ...httpdArgs(TEST_IMAGE, www)]);
    expect((await h.docker(['port', web, '80'])).stdout.trim().split('\n')).toEqual([
      `0.0.0.0:${port}`,
      `[::]:${port}`,
    ]);
    for (const host of ['127.0.0.1', '::1'])
      await eventually(async () => (await httpGet(host, port)).includes('hello from berth'));
    await h.docker(['rm', '-f', web]);
    expect(await httpGet('::1', port)).toBe('');
  });

  it("draws a new network's subnet from the default pools clear of every host route and dockerd's networks", async () => {
    const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((d) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(d))
      .map((d) => parseCidr(d.includes('/') ? d : `${d}/32`));
    const taken = [...routes];
    try {
      const out = execFileSync(
        DOCKER,
        ['-H', 'unix:///var/run/docker.sock', 'network', 'inspect', 'bridge'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      for (const c of JSON.parse(out)[0].IPAM.Config as Array<{ Subnet: string }>)
        taken.push(parseCidr(c.Subnet));
    } catch {
      // no Docker daemon beside us: the routes are all there is to avoid
    }
    const net = h.name('pooled');
    await h.docker(['network', 'create', net]);
    const subnet: string = JSON.parse((await h.docker(['network', 'inspect', net])).stdout)[0].IPAM.Config[0]
      .Subnet;
    for (const t of taken)
      expect(overlaps(parseCidr(subnet), t), `${subnet} vs ${formatCidr(t)}`).toBe(false);
    await h.docker(['network', 'rm', net]);
  });

  it('run -p with a port range, and -P publishing the exposed ports on ephemeral host ports', async () => {
    // Two consecutive host ports free right now.
    let low = await freePort();
    while (!(await portFree(low + 1))) low = await freePort();
    const ranged = h.name('range');
    await h.docker([
      'run',
      '-d',
      '--name',
      ranged,
      '-p',
      `127.0.0.1:${low}-${low + 1}:80-81`,
      '-v',
      `${www}:/www:ro`,
      TEST_IMAGE,
      'sh',
      '-c',
      'httpd -p 81 -h /www; exec httpd -f -p 80 -h /www',
    ]);
    expect((await h.docker(['port', ranged])).stdout.trim().split('\n').sort()).toEqual([
      `80/tcp -> 127.0.0.1:${low}`,
      `81/tcp -> 127.0.0.1:${low + 1}`,
    ]);
    for (const port of [low, low + 1])
      await eventually(async () => (await httpGet('127.0.0.1', port)).includes('hello from berth'), {
        what: `range port ${port}`,
      });
    const all = h.name('publish-all');
    await h.docker(['run', '-d', '--name', all, '-P', '--expose', '80', ...httpdArgs(TEST_IMAGE, www)]);
    const mapped = (await h.docker(['port', all, '80'])).stdout.trim().split('\n');
    expect(mapped[0]).toMatch(/^0\.0\.0\.0:\d+$/);
    const ephemeral = Number(mapped[0]?.split(':')[1]);
    expect(ephemeral).toBeGreaterThanOrEqual(49153);
    await eventually(async () => (await httpGet('127.0.0.1', ephemeral)).includes('hello from berth'), {
      what: '-P port',
    });
    const listed = (
      await h.api('GET', `/containers/json?filters=${encodeURIComponent(`{"name":["${all}"]}`)}`)
    ).body as Array<{
      Ports: Array<{ PrivatePort: number; PublicPort?: number; Type: string; IP?: string }>;
    }>;
    expect(listed[0]?.Ports).toContainEqual({
      IP: '0.0.0.0',
      PrivatePort: 80,
      PublicPort: ephemeral,
      Type: 'tcp',
    });
    await h.docker(['rm', '-f', ranged, all]);
    expect(await httpGet('127.0.0.1', low)).toBe('');
  });

  it('berth port, docker port, inspect and /containers/json report the same ephemeral host port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-port-'));
    const project = `${h.engine.prefix}-ports`;
    const env = { ...process.env, BERTH_HOST: h.engine.host, BERTH_DEBUG: '' };
    const berth = (...args: string[]) =>
      spawnSync(process.execPath, [BERTH_CLI, '-p', project, ...args], { cwd: dir, env, encoding: 'utf8' });
    try {
      writeFileSync(
        join(dir, 'compose.yaml'),
        `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "300"]\n    init: true\n    ports: ["127.0.0.1::80", "127.0.0.1::53/udp"]\n`,
      );
      const up = berth('up', '-d', '--progress', 'quiet');
      expect(up.status, up.stderr).toBe(0);
      const id = (
        await h.docker(['ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`])
      ).stdout.trim();
      const info = JSON.parse((await h.docker(['inspect', id])).stdout)[0];
      const tcp = info.NetworkSettings.Ports['80/tcp'][0].HostPort as string;
      const udp = info.NetworkSettings.Ports['53/udp'][0].HostPort as string;
      expect(Number(tcp)).toBeGreaterThanOrEqual(49153);
      expect(Number(udp)).toBeGreaterThanOrEqual(49153);
      expect(berth('port', 'web', '80').stdout).toBe(`127.0.0.1:${tcp}\n`);
      expect(berth('port', '--protocol', 'udp', 'web', '53').stdout).toBe(`127.0.0.1:${udp}\n`);
      expect((await h.docker(['port', id, '80/tcp'])).stdout.trim()).toBe(`127.0.0.1:${tcp}`);
      const listed = (
        await h.api('GET', `/containers/json?filters=${encodeURIComponent(`{"id":["${id}"]}`)}`)
      ).body as Array<{ Ports: unknown[] }>;
      expect(listed[0]?.Ports).toEqual(
        expect.arrayContaining([
          { IP: '127.0.0.1', PrivatePort: 80, PublicPort: Number(tcp), Type: 'tcp' },
          { IP: '127.0.0.1', PrivatePort: 53, PublicPort: Number(udp), Type: 'udp' },
        ]),
      );
      const down = berth('down', '--progress', 'quiet');
      expect(down.status, down.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects and disconnects a running container', async () => {
    const net = h.name('late');
    await h.docker(['network', 'create', net]);
    const c = h.name('mover');
    await h.docker(['run', '-d', '--name', c, TEST_IMAGE, 'sleep', '300']);
    await h.docker(['network', 'connect', '--alias', 'moved', net, c]);
    expect((await h.docker(['exec', c, 'ip', '-o', '-4', 'addr'])).stdout).toMatch(/eth1\s+inet /);
    const inspect = JSON.parse((await h.docker(['network', 'inspect', net])).stdout)[0];
    expect(Object.values(inspect.Containers).map((x) => (x as { Name: string }).Name)).toEqual([c]);
    const ip = String((Object.values(inspect.Containers)[0] as { IPv4Address: string }).IPv4Address).split(
      '/',
    )[0];
    expect((await h.docker(['exec', c, 'cat', '/etc/hosts'])).stdout).toContain(`${ip}\t`);
    await h.docker(['network', 'disconnect', net, c]);
    expect((await h.docker(['exec', c, 'ip', '-o', 'link'])).stdout).not.toContain('eth1');
    expect((await h.docker(['exec', c, 'cat', '/etc/hosts'])).stdout).not.toContain(`${ip}\t`);
  });

  it('connects a created container with a static address and an alias that resolves on the network', async () => {
    const net = h.name('pinned');
    const prefix = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}`;
    await h.docker(['network', 'create', '--subnet', `${prefix}.0/24`, net]);
    const c = h.name('static');
    await h.docker(['create', '--name', c, TEST_IMAGE, 'sleep', '300']);
    await h.docker(['network', 'connect', '--ip', `${prefix}.50`, '--alias', 'pinned-alias', net, c]);
    await h.docker(['start', c]);
    expect((await h.docker(['exec', c, 'ip', '-o', '-4', 'addr'])).stdout).toContain(`inet ${prefix}.50/24`);
    const [inspect] = JSON.parse((await h.docker(['inspect', c])).stdout);
    expect(inspect.NetworkSettings.Networks[net]).toMatchObject({
      IPAddress: `${prefix}.50`,
      IPAMConfig: { IPv4Address: `${prefix}.50` },
    });
    expect(inspect.NetworkSettings.Networks[net].Aliases).toContain('pinned-alias');
    const out = (await h.docker(['run', '--rm', '--network', net, TEST_IMAGE, 'nslookup', 'pinned-alias']))
      .stdout;
    expect(out).toContain(`Address: ${prefix}.50`);
  });

  it('runs real containers with --network host, none, default, bridge and container:<name>', async () => {
    const links = async (mode: string) =>
      (
        await h.docker([
          'run',
          '--rm',
          '--network',
          mode,
          TEST_IMAGE,
          'sh',
          '-c',
          "ip -o link | awk -F': ' '{print $2}'",
        ])
      ).stdout
        .trim()
        .split('\n')
        .map((l) => l.split('@')[0]);
    // Other work on this machine adds and removes interfaces meanwhile: compare one that stays.
    const defaultDev = /dev (\S+)/.exec(
      execFileSync('ip', ['route', 'show', 'default'], { encoding: 'utf8' }),
    )?.[1];
    const inHost = await links('host');
    expect(inHost).toContain(defaultDev);
    expect(inHost.length).toBeGreaterThan(2);
    expect(await links('none')).toEqual(['lo']);
    expect(await links('default')).toEqual(['lo', 'eth0']);
    expect(await links('bridge')).toEqual(['lo', 'eth0']);
    const owner = h.name('netowner');
    await h.docker(['run', '-d', '--name', owner, TEST_IMAGE, 'sleep', '300']);
    const ownerIp = (
      await h.docker(['exec', owner, 'sh', '-c', "ip -o -4 addr show eth0 | awk '{print $4}'"])
    ).stdout;
    const joinedIp = (
      await h.docker([
        'run',
        '--rm',
        '--network',
        `container:${owner}`,
        TEST_IMAGE,
        'sh',
        '-c',
        "ip -o -4 addr show eth0 | awk '{print $4}'",
      ])
    ).stdout;
    expect(joinedIp).toBe(ownerIp);
    expect(ownerIp).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+\n$/);
    await h.docker(['rm', '-f', owner]);
  });

  it('gives dynamic addresses from the IPRange of a network, not from the whole subnet', async () => {
    const net = h.name('ranged');
    const prefix = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}`;
    await h.docker([
      'network',
      'create',
      '--subnet',
      `${prefix}.0/24`,
      '--ip-range',
      `${prefix}.192/26`,
      net,
    ]);
    for (const n of [1, 2]) {
      const ip = (
        await h.docker([
          'run',
          '--rm',
          '--network',
          net,
          TEST_IMAGE,
          'sh',
          '-c',
          "ip -o -4 addr show eth0 | awk '{print $4}'",
        ])
      ).stdout.trim();
      const last = Number(ip.split('/')[0]?.split('.')[3]);
      expect(ip.startsWith(`${prefix}.`), `${n}: ${ip}`).toBe(true);
      expect(last).toBeGreaterThanOrEqual(192);
    }
  });

  it('keeps a running container wired across kill -9 of the engine and cleans up after', async () => {
    const port = await freePort();
    const web = h.name('survivor');
    await h.docker(['run', '-d', '--name', web, '-p', `127.0.0.1:${port}:80`, ...httpdArgs(TEST_IMAGE, www)]);
    await eventually(async () => (await httpGet('127.0.0.1', port)).includes('hello from berth'));
    await h.engine.kill9();
    expect(await httpGet('127.0.0.1', port)).toContain('hello from berth');
    await h.engine.restart();
    expect(await httpGet('127.0.0.1', port)).toContain('hello from berth');
    await h.docker(['rm', '-f', web]);
    expect(await httpGet('127.0.0.1', port)).toBe('');
    expect(execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('after kill -9 of the engine, a restart removes the plumbing of a container that died meanwhile', async () => {
    const port = await freePort();
    const name = h.name('dies');
    await h.docker([
      'run',
      '-d',
      '--name',
      name,
      '-p',
      `127.0.0.1:${port}:80`,
      ...httpdArgs(TEST_IMAGE, www),
    ]);
    await eventually(async () => (await httpGet('127.0.0.1', port)).includes('hello from berth'));
    const inspect = JSON.parse((await h.docker(['inspect', name])).stdout)[0];
    // The host end of its veth (named by netavark): the host link whose index eth0 points to.
    const eth0 = execFileSync(
      'nsenter',
      ['-t', String(inspect.State.Pid), '-n', 'ip', '-o', 'link', 'show', 'eth0'],
      {
        encoding: 'utf8',
      },
    );
    const peer = /eth0@if(\d+):/.exec(eth0)?.[1] ?? 'none';
    const veth =
      new RegExp(`^${peer}: ([^:@]+)`, 'm').exec(
        execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }),
      )?.[1] ?? '';
    expect(veth).not.toBe('');
    await h.engine.kill9();
    // The container this test started dies while no engine watches it.
    process.kill(inspect.State.Pid, 'SIGKILL');
    await eventually(() => {
      try {
        process.kill(inspect.State.Pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    await h.engine.restart();
    await eventually(() => !execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).includes(` ${veth}@`), {
      what: `${veth} removed`,
    });
    expect(await httpGet('127.0.0.1', port)).toBe('');
    expect(execFileSync('iptables-save', { encoding: 'utf8' })).not.toContain(`--dport ${port} `);
    await h.docker(['rm', '-f', name]);
  });
});
