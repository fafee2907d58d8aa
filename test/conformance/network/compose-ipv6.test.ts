import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { freePort, httpGet } from './net-tools.js';
import { startWebHarness, type WebHarness } from './web-harness.js';

const run = promisify(execFile);
const BERTH = resolve(import.meta.dirname, '../../../dist/src/cli/main.js');

/** A ULA /64 unique to this run. */
function randomSubnet6(): string {
  const hex = () => Math.floor(Math.random() * 0xffff).toString(16);
  return `fd${Math.floor(Math.random() * 255)
    .toString(16)
    .padStart(2, '0')}:${hex()}:${hex()}::/64`;
}

/** A stack on an IPv6 network (`enable_ipv6` + `ipam`): `web` published on [::1], and `client`. */
function stack(version: string, subnet: string, www: string, port: number): string {
  return [
    `version: '${version}'`,
    'services:',
    '  web:',
    `    image: ${TEST_IMAGE}`,
    "    command: httpd -f -p '[::]:80' -h /www",
    `    volumes: ['${www}:/www:ro']`,
    `    ports: ['[::1]:${port}:80']`,
    '    networks: [six]',
    '  client:',
    `    image: ${TEST_IMAGE}`,
    '    command: sleep 300',
    '    networks: [six]',
    'networks:',
    '  six:',
    '    enable_ipv6: true',
    '    ipam:',
    `      config: [{subnet: '${subnet}'}]`,
    '',
  ].join('\n');
}

// Compose files with `enable_ipv6: true` and an IPv6 `ipam` subnet, brought up and down on the
// embedded engine by berth and by docker-compose 1.29: service names resolve to IPv6 addresses
// and the [::1] publication answers.
describe('compose: enable_ipv6 networks on the embedded engine', () => {
  let web: WebHarness;
  let dir: string;
  beforeAll(async () => {
    web = await startWebHarness();
    dir = mkdtempSync(join(tmpdir(), 'berth-compose6-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (web) expect(await web.close()).toEqual([]);
  });

  const tools: Array<[string, string, (file: string, project: string, args: string[]) => string[]]> = [
    ['berth', '3.8', (f, p, a) => [process.execPath, BERTH, '-f', f, '-p', p, ...a]],
    ['docker-compose 1.29', '2.4', (f, p, a) => ['docker-compose', '-f', f, '-p', p, ...a]],
  ];
  for (const [tool, version, command] of tools) {
    it(`${tool}: service names resolve to IPv6 addresses; [::1] publishes`, async () => {
      const project = web.h.name(tool.split(' ')[0] as string).replace(/[^a-z0-9-]/g, '');
      const port = await freePort();
      const subnet = randomSubnet6();
      const file = join(dir, `${project}.yaml`);
      writeFileSync(file, stack(version, subnet, web.www, port));
      const env = { ...process.env, DOCKER_HOST: web.h.engine.host, BERTH_HOST: web.h.engine.host };
      const compose = (args: string[]) => {
        const [cmd, ...rest] = command(file, project, args);
        return run(cmd as string, rest, { env, timeout: 120_000 });
      };
      await compose(['up', '-d']);
      try {
        const client = (
          await web.h.docker(['ps', '-q', '--filter', `name=${project}`, '--filter', 'name=client'])
        ).stdout
          .trim()
          .split('\n')[0] as string;
        const answer = (await web.h.docker(['exec', client, 'nslookup', '-type=AAAA', 'web'])).stdout;
        expect(answer).toContain(subnet.replace('::/64', '::'));
        expect(await httpGet('::1', port)).toContain('hello from berth');
      } finally {
        await compose(['down', '-t', '0']);
      }
    });
  }
});
