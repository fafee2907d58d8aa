import { describe, expect, it } from 'vitest';
import { load, problemsOf, service } from './helpers.js';

describe('depends_on, networks and profiles', () => {
  it('reads depends_on lists and maps', () => {
    expect(service('{ image: x, depends_on: [db] }').depends_on).toEqual({
      db: { condition: 'service_started', required: true, restart: false },
    });
    const s = service(
      '{ image: x, depends_on: { db: { condition: service_healthy, restart: true, required: false } } }',
    );
    expect(s.depends_on).toEqual({ db: { condition: 'service_healthy', required: false, restart: true } });
  });

  it('reads networks lists and maps with aliases, and joins default when none is given', () => {
    expect(service('{ image: x, networks: [front] }').networks).toEqual({ front: { aliases: [] } });
    expect(
      service('{ image: x, networks: { front: { aliases: [www], ipv4_address: 10.0.0.5 }, back: null } }')
        .networks,
    ).toEqual({
      front: { aliases: ['www'], ipv4_address: '10.0.0.5' },
      back: { aliases: [] },
    });
    const p = load('services: { a: { image: x }, b: { image: x, network_mode: host } }');
    expect(p.services.a.networks).toEqual({ default: { aliases: [] } });
    expect(p.services.b.networks).toEqual({});
    expect(p.networks).toEqual({
      default: { name: 'demo_default', driver_opts: {}, labels: {}, extensions: {} },
    });
  });

  it('creates no default network when no service uses it', () => {
    expect(load('services: { a: { image: x, network_mode: none } }').networks).toEqual({});
  });

  it('names networks, volumes, secrets and configs', () => {
    const p = load(`
services: {}
networks: { a: {}, b: { name: custom }, c: { external: true }, d: { external: { name: old } } }
volumes: { v: null, w: { external: true, name: shared } }
secrets: { s: { file: ./s.txt }, t: { environment: TOKEN } }
configs: { c: { content: hi, external: false } }
`);
    expect(Object.values(p.networks).map((n) => [n.name, n.external])).toEqual([
      ['demo_a', undefined],
      ['custom', undefined],
      ['c', true],
      ['old', true],
    ]);
    expect(p.volumes).toEqual({
      v: { name: 'demo_v', driver_opts: {}, labels: {}, extensions: {} },
      w: { name: 'shared', external: true, driver_opts: {}, labels: {}, extensions: {} },
    });
    expect(p.secrets.s).toEqual({ name: 'demo_s', file: '/srv/demo/s.txt', labels: {} });
    expect(p.secrets.t).toEqual({ name: 'demo_t', environment: 'TOKEN', labels: {} });
    expect(p.configs.c).toEqual({ name: 'demo_c', external: false, content: 'hi', labels: {} });
  });

  const stack = `
services:
  web: { image: x, depends_on: [api] }
  api: { image: x, profiles: [backend], depends_on: { cache: { condition: service_started, required: false } } }
  cache: { image: x, profiles: [cache] }
  debug: { image: x, profiles: [debug] }
`;

  it('activates services by profile, and what active services need', () => {
    const p = load(stack);
    expect(Object.keys(p.services)).toEqual(['web', 'api']);
    expect(Object.keys(p.disabled_services)).toEqual(['cache', 'debug']);
    expect(Object.keys(load(stack, { profiles: ['debug'] }).services)).toEqual(['web', 'api', 'debug']);
    expect(Object.keys(load(stack, { profiles: ['*'] }).services)).toEqual(['web', 'api', 'cache', 'debug']);
  });

  it('applies deploy.resources to the container attributes, as Compose does', () => {
    const s = service(
      '{ image: x, mem_limit: 1g, deploy: { resources: { limits: { memory: 512m, cpus: "0.5", pids: 100 }, reservations: { memory: 128m } } } }',
    );
    expect(s).toMatchObject({
      mem_limit: 512 * 1024 ** 2,
      cpus: 0.5,
      pids_limit: 100,
      mem_reservation: 128 * 1024 ** 2,
    });
    expect(s.deploy).toEqual({
      resources: { limits: { memory: '512m', cpus: '0.5', pids: 100 }, reservations: { memory: '128m' } },
    });
    expect(
      problemsOf(() => service('{ image: x, deploy: { resources: { limits: { memory: lots } } } }')),
    ).toEqual(['services.s.deploy.resources.limits.memory: invalid size "lots"']);
  });

  it('reads scale and deploy.replicas, and rejects a conflict', () => {
    expect(service('{ image: x }').scale).toBe(1);
    expect(service('{ image: x, deploy: { replicas: 3 } }')).toMatchObject({ scale: 3 });
    expect(service('{ image: x, deploy: { replicas: 3 } }').deploy).toBeUndefined();
    expect(service('{ image: x, scale: 2, deploy: { replicas: 2, mode: replicated } }')).toMatchObject({
      scale: 2,
      deploy: { mode: 'replicated' },
    });
    expect(problemsOf(() => service('{ image: x, scale: 2, deploy: { replicas: 3 } }'))).toEqual([
      'services.s.scale: scale (2) and deploy.replicas (3) differ',
    ]);
  });
});
