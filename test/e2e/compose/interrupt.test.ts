import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { Label } from '../../../src/reconcile/labels.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import { cliStacks } from './cli-stack.js';
import { eventually, itOn, useEngine } from './harness.js';

// db turns healthy only once the test creates ready/ok; app waits for that.
const GATED = [
  'services:',
  '  db:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["sleep", "3600"]',
  '    init: true',
  '    volumes: ["./ready:/ready"]',
  '    healthcheck: { test: ["CMD", "test", "-f", "/ready/ok"], interval: 1s, retries: 1000 }',
  '  app:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["sleep", "3600"]',
  '    init: true',
  '    depends_on: { db: { condition: service_healthy } }',
  '',
].join('\n');

for (const target of availableEngines()) {
  describe(`Ctrl-C during attached up on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const stack = cliStacks(fx, 'sigint');

    it('before everything started: stops the stack, exits 130, leaves only labelled containers; the next up converges', async () => {
      const { attached, berth, name, dir } = stack(GATED);
      mkdirSync(join(dir, 'ready'));
      const child = attached('up', '--progress', 'plain');
      let err = '';
      child.stderr.on('data', (d) => {
        err += String(d);
      });
      const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
      await eventually(async () => err.includes('service:db:1 AwaitHealthy started'), 60_000);
      child.kill('SIGINT');
      expect(await exited, err).toBe(130);
      expect(err).toContain('Gracefully stopping...');
      const states = berth('ps', '-a', '--format', 'json')
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((c) => `${c.Service} ${c.State}`);
      expect(states).toEqual(['app created', 'db exited']);
      // Every container named after the project carries its labels.
      const named = await fx.engine.containers.list({ all: true, filters: { name: [name] } });
      expect(named.map((c) => c.Labels?.[Label.project])).toEqual([name, name]);
      writeFileSync(join(dir, 'ready', 'ok'), '');
      const up = berth('up', '-d', '--wait', '--progress', 'quiet');
      expect(up.code, up.stderr).toBe(0);
      expect(berth('ps', '--services').stdout).toBe('app\ndb\n');
      expect(berth('plan').stdout).toBe('Nothing to do: the stack is up to date.\n');
    });
  });
}
