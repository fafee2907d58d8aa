import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/model/project.js';
import { createContext } from '../../../src/reconcile/container-labels.js';
import { serviceToContainerSpec } from '../../../src/reconcile/create-body.js';
import { project, service } from './fixtures.js';

const SECOND = 1_000_000_000;

/** [what, service fields, expected subset of the create body]. */
const CASES: Array<[string, Partial<Service>, Record<string, unknown>]> = [
  [
    'command and entrypoint',
    { command: ['a', 'b'], entrypoint: ['/e'] },
    { Cmd: ['a', 'b'], Entrypoint: ['/e'] },
  ],
  ['command reset to the image default', { command: null }, { Cmd: [] }],
  ['environment, a missing variable left out', { environment: { A: '1', B: null } }, { Env: ['A=1'] }],
  [
    'published and exposed ports',
    {
      ports: [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }],
      expose: ['9000'],
    },
    {
      ExposedPorts: { '80/tcp': {}, '9000/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } },
    },
  ],
  [
    'health check in nanoseconds',
    { healthcheck: { test: ['CMD', 'true'], interval: 2 * SECOND, retries: 3 } },
    { Healthcheck: { Test: ['CMD', 'true'], Interval: 2 * SECOND, Retries: 3 } },
  ],
  ['health check disabled', { healthcheck: { disable: true } }, { Healthcheck: { Test: ['NONE'] } }],
  [
    'restart policy with a retry count',
    { restart: 'on-failure:3' },
    { HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } } },
  ],
  ['stop grace period in seconds', { stop_grace_period: 3 * SECOND }, { StopTimeout: 3 }],
  ['cpus as NanoCpus', { cpus: 1.5 }, { HostConfig: { NanoCpus: 1.5 * SECOND } }],
  [
    'user, working dir, tty, init',
    { user: 'nobody', working_dir: '/w', tty: true, init: true },
    { User: 'nobody', WorkingDir: '/w', Tty: true, HostConfig: { Init: true } },
  ],
  [
    'capabilities',
    { cap_add: ['NET_ADMIN'], cap_drop: ['ALL'] },
    { HostConfig: { CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'] } },
  ],
  [
    'bind mount created when missing, named volume resolved, tmpfs',
    {
      volumes: [
        { type: 'bind', source: '/src', target: '/app', read_only: true },
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'tmpfs', target: '/run', tmpfs: { size: 65536 } },
      ],
    },
    {
      HostConfig: {
        Binds: ['/src:/app:ro'],
        Mounts: [
          { Type: 'volume', Source: 'demo_data', Target: '/data' },
          { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 65536 } },
        ],
      },
    },
  ],
  [
    'first network at create with service name alias',
    { networks: { default: { aliases: ['web-alias'] } } },
    {
      HostConfig: { NetworkMode: 'demo_default' },
      NetworkingConfig: { EndpointsConfig: { demo_default: { Aliases: ['svc', 'web-alias'] } } },
    },
  ],
  [
    'network_mode service:x',
    { network_mode: 'service:db', networks: {} },
    { HostConfig: { NetworkMode: 'container:demo-db-1' } },
  ],
  [
    'ulimits',
    { ulimits: { nofile: { soft: 10, hard: 20 } } },
    { HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }] } },
  ],
];

describe('serviceToContainerSpec', () => {
  const p = project([service('db')], {
    volumes: { data: { name: 'demo_data', driver_opts: {}, labels: {}, extensions: {} } },
  });
  for (const [what, fields, expected] of CASES) {
    it(`translates ${what}`, () => {
      const { body } = serviceToContainerSpec(service('svc', fields), 'img', {}, createContext(p));
      expect(body).toMatchObject(expected);
    });
  }

  it('connects to the other networks after create, highest priority first at create', () => {
    const p2 = project([], {
      networks: {
        front: { name: 'demo_front', driver_opts: {}, labels: {}, extensions: {} },
        back: { name: 'demo_back', driver_opts: {}, labels: {}, extensions: {} },
      },
    });
    const s = service('svc', { networks: { front: { aliases: [] }, back: { aliases: [], priority: 10 } } });
    const spec = serviceToContainerSpec(s, 'img', {}, createContext(p2));
    expect(spec.body.HostConfig.NetworkMode).toBe('demo_back');
    expect(spec.extraNetworks).toEqual([{ network: 'demo_front', endpoint: { Aliases: ['svc'] } }]);
  });

  it('passes each network MAC, driver options, link-local addresses and gateway priority', () => {
    const p2 = project([], {
      networks: {
        front: { name: 'demo_front', driver_opts: {}, labels: {}, extensions: {} },
        back: { name: 'demo_back', driver_opts: {}, labels: {}, extensions: {} },
      },
    });
    const s = service('svc', {
      networks: {
        front: {
          aliases: ['www'],
          mac_address: '02:42:ac:11:00:02',
          link_local_ips: ['169.254.8.8'],
          driver_opts: { 'com.example.opt': 'x' },
          interface_name: 'eth7',
          gw_priority: 5,
        },
        back: { aliases: [], priority: 1, ipv4_address: '10.5.0.9', mac_address: '02:42:ac:11:00:03' },
      },
    });
    const spec = serviceToContainerSpec(s, 'img', {}, createContext(p2));
    expect(spec.body.HostConfig.NetworkMode).toBe('demo_back');
    expect(spec.body.MacAddress).toBe('02:42:ac:11:00:03');
    expect(spec.body.NetworkingConfig).toEqual({
      EndpointsConfig: {
        demo_back: {
          Aliases: ['svc'],
          IPAMConfig: { IPv4Address: '10.5.0.9' },
          MacAddress: '02:42:ac:11:00:03',
        },
      },
    });
    expect(spec.extraNetworks).toEqual([
      {
        network: 'demo_front',
        endpoint: {
          Aliases: ['svc', 'www'],
          IPAMConfig: { LinkLocalIPs: ['169.254.8.8'] },
          MacAddress: '02:42:ac:11:00:02',
          DriverOpts: { 'com.example.opt': 'x', 'com.docker.network.endpoint.ifname': 'eth7' },
          GwPriority: 5,
        },
      },
    ]);
  });

  it('orders networks by priority, highest first, then by name', () => {
    const nets = Object.fromEntries(
      ['a', 'b', 'c'].map((n) => [n, { name: `demo_${n}`, driver_opts: {}, labels: {}, extensions: {} }]),
    );
    const s = service('svc', {
      networks: { a: { aliases: [] }, b: { aliases: [], priority: -1 }, c: { aliases: [] } },
    });
    const spec = serviceToContainerSpec(s, 'img', {}, createContext(project([], { networks: nets })));
    expect(spec.body.HostConfig.NetworkMode).toBe('demo_a');
    expect(spec.extraNetworks.map((n) => n.network)).toEqual(['demo_c', 'demo_b']);
  });

  it('gives the service labels and berth labels, berth winning', () => {
    const s = service('svc', { labels: { a: '1', 'com.docker.compose.project': 'x' } });
    const { body } = serviceToContainerSpec(
      s,
      'img',
      { 'com.docker.compose.project': 'demo' },
      createContext(p),
    );
    expect(body.Labels).toEqual({ a: '1', 'com.docker.compose.project': 'demo' });
  });
});
