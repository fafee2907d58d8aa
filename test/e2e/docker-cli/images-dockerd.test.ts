import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { dockerOn } from '../../support/docker-cli.js';
import { DOCKER_SOCKET, dockerAvailable } from '../../support/docker-daemon.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';

// The Docker daemon as an oracle for the image formats: what the engine saves or commits it
// loads with the same ID and runs the same, and what it builds (whiteouts, opaque dirs) the
// engine loads and runs.
describe.skipIf(!dockerAvailable())(
  'docker CLI: images between the embedded engine and the Docker daemon',
  () => {
    let engine: EmbeddedEngine;
    let dir: string;
    let name: string;
    let id: string;
    const docker = dockerOn(() => engine.host);
    const onDockerd = dockerOn(() => `unix://${DOCKER_SOCKET}`);

    beforeAll(async () => {
      engine = await startEmbeddedEngine();
      dir = mkdtempSync(join(tmpdir(), 'berth-images-dockerd-'));
      name = `${engine.prefix}/busybox`;
      const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
      id = await docker(['import', ...changes, busyboxRootfsTar(), `${name}:latest`]);
    });
    afterAll(async () => {
      await docker(['rmi', '-f', `${name}:latest`]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      await engine?.stop();
    });
    it('the Docker daemon loads what the engine saved, with the same ID', async () => {
      const archive = join(dir, 'for-dockerd.tar');
      await docker(['tag', id, `${name}:for-dockerd`]);
      await docker(['save', '-o', archive, `${name}:for-dockerd`]);
      try {
        expect(await onDockerd(['load', '-i', archive])).toBe(`Loaded image: ${name}:for-dockerd`);
        expect(await onDockerd(['image', 'inspect', '--format', '{{.Id}}', `${name}:for-dockerd`])).toBe(id);
        // and back: what dockerd saves, the engine loads
        const back = join(dir, 'from-dockerd.tar');
        await onDockerd(['save', '-o', back, `${name}:for-dockerd`]);
        await docker(['rmi', '-f', id]);
        expect(await docker(['load', '-i', back])).toBe(`Loaded image: ${name}:for-dockerd`);
        expect(await docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:for-dockerd`])).toBe(id);
      } finally {
        await onDockerd(['rmi', '-f', `${name}:for-dockerd`]).catch(() => undefined);
      }
    });

    it('a multi-layer image built by the Docker daemon (whiteouts, opaque dirs) loads and runs', async () => {
      const ref = `${name}:built`;
      const context = join(dir, 'context');
      mkdirSync(context, { recursive: true });
      const base = `${name}:base`;
      writeFileSync(
        join(context, 'Dockerfile'),
        [
          `FROM ${base}`,
          'RUN mkdir -p /d/sub && echo one > /d/sub/f && echo keep > /kept && echo gone > /gone',
          'RUN rm /gone /etc/group && rm -rf /d && mkdir /d && echo two > /d/new',
          'ENV LAYERED=yes',
          '',
        ].join('\n'),
      );
      try {
        await onDockerd(['import', '--change', 'CMD ["sh"]', busyboxRootfsTar(), base]);
        await onDockerd(['build', '-q', '-t', ref, context]);
        const builtId = await onDockerd(['image', 'inspect', '--format', '{{.Id}}', ref]);
        const archive = join(dir, 'built.tar');
        await onDockerd(['save', '-o', archive, ref]);
        expect(await docker(['load', '-i', archive])).toBe(`Loaded image: ${ref}`);
        expect(await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).toBe(builtId);
        const listing = await docker([
          'run',
          '--rm',
          ref,
          'sh',
          '-c',
          'ls /d; cat /kept; ls /gone /etc/group /d/sub 2>&1; echo $LAYERED',
        ]);
        expect(listing.split('\n')).toEqual([
          'new',
          'keep',
          'ls: /gone: No such file or directory',
          'ls: /etc/group: No such file or directory',
          'ls: /d/sub: No such file or directory',
          'yes',
        ]);
        // and back again: the engine's save of it loads into the daemon with the same ID
        const back = join(dir, 'built-back.tar');
        await docker(['save', '-o', back, ref]);
        await onDockerd(['rmi', ref]);
        expect(await onDockerd(['load', '-i', back])).toBe(`Loaded image: ${ref}`);
        expect(await onDockerd(['image', 'inspect', '--format', '{{.Id}}', ref])).toBe(builtId);
        await docker(['rmi', ref]);
      } finally {
        await onDockerd(['rmi', '-f', ref]).catch(() => undefined);
        await onDockerd(['rmi', '-f', base]).catch(() => undefined);
      }
    });

    it('an image committed on the engine (deletions included) runs the same on the Docker daemon', async () => {
      const ref = `${name}:committed-for-dockerd`;
      const container = `${engine.prefix}-committer`;
      await docker(['tag', id, `${name}:commit-base`]);
      await docker([
        'run',
        '--name',
        container,
        `${name}:commit-base`,
        'sh',
        '-c',
        'rm /etc/group && rm -rf /www && mkdir /www && echo new > /www/x',
      ]);
      try {
        const committed = await docker(['commit', '--change', 'CMD ["cat", "/www/x"]', container, ref]);
        const archive = join(dir, 'committed.tar');
        await docker(['save', '-o', archive, ref]);
        expect(await onDockerd(['load', '-i', archive])).toBe(`Loaded image: ${ref}`);
        expect(await onDockerd(['image', 'inspect', '--format', '{{.Id}}', ref])).toBe(committed);
        const out = await onDockerd([
          'run',
          '--rm',
          '--network',
          'none',
          ref,
          'sh',
          '-c',
          'ls /www; ls /etc/group 2>&1; cat /www/x',
        ]);
        expect(out.split('\n')).toEqual(['x', 'ls: /etc/group: No such file or directory', 'new']);
      } finally {
        await onDockerd(['rmi', '-f', ref]).catch(() => undefined);
        await docker(['rm', '-f', container]).catch(() => undefined);
        await docker(['rmi', ref, `${name}:commit-base`]).catch(() => undefined);
      }
    });
  },
);
