import { describe, expect, it } from 'vitest';
import { renderProject } from '../../../src/cli/render/config-format.js';
import { loadProject } from '../../../src/loader/load-project.js';
import type { Project } from '../../../src/model/project.js';

// A stack using every attribute family normalization rewrites; its `berth config` output must
// load back to the same model (the part of it that the output carries).
const kitchenSink = `
name: sink
x-owner: team-$$a
services:
  web:
    image: example/web:1
    build:
      context: ./web
      dockerfile: Dockerfile.dev
      args: [VERSION=1, FROM_ENV]
      ssh: [default]
      shm_size: 2g
      x-note: kept
    command: sh -c 'echo "$$HOME" && exec httpd -f'
    entrypoint: [/init]
    environment: { PRICE: "$$5", EMPTY: "", FROM_SHELL: null }
    labels: [com.example.tier=front]
    ports: ["127.0.0.1:8000-8001:80-81/udp", "[::1]:9000:90", 3000, { target: 443, published: "8443", mode: host, app_protocol: https }]
    expose: [9090, "9091/udp"]
    volumes:
      - ./html:/srv/html:ro,z
      - data:/data:nocopy
      - /scratch
      - { type: tmpfs, target: /tmp, tmpfs: { size: 64m, mode: "01777" } }
    tmpfs: /run
    networks: { front: { aliases: [www], ipv4_address: 10.5.0.10, priority: 10 }, back: null }
    depends_on: { db: { condition: service_healthy, restart: true }, cache: { condition: service_started, required: false } }
    healthcheck: { test: curl -f http://localhost, interval: 1m30s, timeout: 1.5s, retries: 3, start_period: 250ms }
    restart: on-failure:3
    deploy: { replicas: 2, resources: { limits: { memory: 512m } } }
    stop_grace_period: 1h2m3s
    shm_size: 100000
    mem_limit: 1536m
    memswap_limit: -1
    cpus: 1.5
    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }
    extra_hosts: { db.local: 10.0.0.2 }
    sysctls: { net.core.somaxconn: 1024 }
    secrets: [token, { source: cert, target: /run/cert, mode: "0400", uid: "100" }]
    configs: [{ source: conf, target: /etc/conf }]
    logging: { driver: json-file, options: { max-size: 10m } }
    cap_add: [NET_ADMIN]
    dns: 1.1.1.1
    tty: true
    init: true
    x-team: web
  db:
    image: postgres:16
    entrypoint: ""
    healthcheck: { test: [CMD, pg_isready], interval: 5s }
    profiles: [db]
  side:
    image: busybox
    network_mode: "service:web"
    volumes_from: ["web:ro"]
networks:
  front: { ipam: { config: [{ subnet: 10.5.0.0/24 }] }, labels: { a: b } }
  back: { internal: true, driver_opts: { mtu: 1400 } }
volumes:
  data: { external: true, name: shared-data }
secrets:
  token: { file: ./token.txt }
  cert: { environment: CERT }
configs:
  conf: { content: "level=$$LEVEL" }
`;

const loadText = (text: string) =>
  loadProject({
    files: ['-'],
    cwd: '/srv/sink',
    env: { HOME: '/home/me' },
    profiles: ['db'],
    stdin: async () => text,
  });

/** The parts of the model that `berth config` output carries. */
const carried = (p: Project) => ({
  name: p.name,
  services: p.services,
  networks: p.networks,
  volumes: p.volumes,
  secrets: p.secrets,
  configs: p.configs,
  extensions: p.extensions,
});

describe('berth config round trip', () => {
  it('loads its own output back to the same model', async () => {
    const first = await loadText(kitchenSink);
    const output = renderProject(first, 'yaml');
    const second = await loadText(output);
    expect(carried(second)).toEqual(carried(first));
    expect(renderProject(second, 'yaml')).toBe(output);
    expect(renderProject(second, 'json')).toBe(renderProject(first, 'json'));
  });

  it('writes Compose units and escapes dollars', async () => {
    const output = renderProject(await loadText(kitchenSink), 'yaml');
    for (const fragment of [
      'interval: 1m30s',
      'timeout: 1s500ms',
      'stop_grace_period: 1h2m3s',
      'mem_limit: 512m',
      'shm_size: 100000',
      'memswap_limit: -1',
      'size: 64m',
      'mode: "01777"',
      'mode: "0400"',
      'PRICE: $$5',
      'x-owner: team-$$a',
      'content: level=$$LEVEL',
      'scale: 2',
      'entrypoint: []',
    ]) {
      expect(output).toContain(fragment);
    }
  });
});
