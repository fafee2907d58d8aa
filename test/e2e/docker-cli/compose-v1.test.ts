import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerHarness } from '../../conformance/containers/harness.js';
import { freePort, httpGet, twoServiceStack } from '../../conformance/network/net-tools.js';
import { startWebHarness, type WebHarness } from '../../conformance/network/web-harness.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';

const run = promisify(execFile);

// Debian's docker-compose 1.29 (docker-py underneath) against the embedded engine with real
// containers: a stack with a published port, a named volume; up -d, down and down -v.
describe('docker-compose 1.29 on the embedded engine', () => {
  let web: WebHarness;
  let h: ContainerHarness;
  let www: string;
  /** A project directory holding `file` as docker-compose.yml, and docker-compose run in it. */
  const composeProject = (stem: string, file: string) => {
    const dir = mkdtempSync(join(tmpdir(), `berth-compose-${stem}-`));
    const name = h.name(stem).replace(/[^a-z0-9]/g, '');
    writeFileSync(join(dir, 'docker-compose.yml'), file);
    const compose = (args: string[]) =>
      run('docker-compose', ['-p', name, ...args], {
        cwd: dir,
        env: { ...process.env, DOCKER_HOST: h.engine.host, COMPOSE_INTERACTIVE_NO_CLI: '1' },
      });
    const remove = async () => {
      await compose(['down', '-v']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    };
    return { name, compose, remove };
  };

  beforeAll(async () => {
    web = await startWebHarness();
    ({ h, www } = web);
  });
  afterAll(async () => {
    if (web) expect(await web.close()).toEqual([]);
  });

  it('brings a two-service stack with a published port up and down', async () => {
    const port = await freePort();
    const { name, compose, remove } = composeProject('stack', twoServiceStack(TEST_IMAGE, www, port));
    try {
      await compose(['up', '-d']);
      const body = await eventually(async () => {
        const text = await httpGet('127.0.0.1', port);
        return text.includes('hello from berth') ? text : false;
      });
      expect(body).toContain('200 OK');
      const lookup = (await h.docker(['exec', `${name}_client_1`, 'nslookup', 'web'])).stdout;
      expect(lookup).toMatch(/Address: \d+\.\d+\.\d+\.\d+/);
      await compose(['down']);
      expect((await h.docker(['network', 'ls', '--filter', `name=${name}`, '-q'])).stdout.trim()).toBe('');
      expect(await httpGet('127.0.0.1', port)).toBe('');
    } finally {
      await remove();
    }
  });

  it('up -d and down -v with a named volume', async () => {
    const file = [
      "version: '3.8'",
      'services:',
      '  app:',
      `    image: ${TEST_IMAGE}`,
      `    command: sh -c 'echo kept > /data/f && sleep 300'`,
      '    volumes: [data:/data]',
      'volumes:',
      '  data: {}',
      '',
    ].join('\n');
    const { name, compose, remove } = composeProject('vol', file);
    const volume = `${name}_data`;
    try {
      await compose(['up', '-d']);
      const [inspect] = JSON.parse((await h.docker(['volume', 'inspect', volume])).stdout);
      expect(inspect.Labels).toMatchObject({
        'com.docker.compose.project': name,
        'com.docker.compose.volume': 'data',
      });
      const written = await eventually(async () => {
        const r = await h.docker(['exec', `${name}_app_1`, 'cat', '/data/f'], { allowFailure: true });
        return r.stdout.trim() === 'kept' ? r.stdout.trim() : false;
      });
      expect(written).toBe('kept');
      await compose(['down', '-v']);
      expect((await h.docker(['volume', 'ls', '-q', '--filter', `name=${volume}`])).stdout.trim()).toBe('');
      expect((await h.docker(['ps', '-aq', '--filter', `name=${name}_`])).stdout.trim()).toBe('');
      expect((await h.docker(['network', 'ls', '-q', '--filter', `name=${name}`])).stdout.trim()).toBe('');
    } finally {
      await remove();
    }
  });
});
