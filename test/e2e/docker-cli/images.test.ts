import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { dockerOn } from '../../support/docker-cli.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';

const run = promisify(execFile);

// The real docker CLI against the embedded engine: import, images, tag, inspect, history, save,
// rmi, load. skopeo is an oracle for the save format: what the engine saves it reads back, and
// what it writes (OCI layout) the engine loads. The Docker daemon as oracle: images-dockerd.test.ts.
describe('docker CLI: images on the embedded engine', () => {
  let engine: EmbeddedEngine;
  let dir: string;
  let name: string;
  let id: string;
  const docker = dockerOn(() => engine.host);

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    dir = mkdtempSync(join(tmpdir(), 'berth-images-e2e-'));
    name = `${engine.prefix}/busybox`;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await engine?.stop();
  });

  it('import with --change, then images and inspect', async () => {
    const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
    id = await docker([
      'import',
      ...changes,
      '--message',
      'from busybox',
      busyboxRootfsTar(),
      `${name}:latest`,
    ]);
    expect(id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await docker(['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).toBe(
      `${name}:latest ${id}`,
    );
    const inspect = JSON.parse(await docker(['image', 'inspect', name]))[0];
    expect(inspect.Id).toBe(id);
    expect(inspect.Config.Cmd).toEqual(['sh']);
    expect(inspect.Comment).toBe('from busybox');
    expect(inspect.RootFS.Layers).toHaveLength(1);
  });

  it('tag, history and images filters', async () => {
    await docker(['tag', name, `${name}:v1`]);
    await docker(['tag', id.slice(7, 19), `localhost:5000/${engine.prefix}/other`]);
    const tags = (await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', name])).split('\n').sort();
    expect(tags).toEqual([`${name}:latest`, `${name}:v1`]);
    expect(
      await docker(['images', '-q', '--no-trunc', '--filter', `reference=localhost:5000/${engine.prefix}/*`]),
    ).toBe(id);
    const history = await docker(['history', '--no-trunc', '--format', '{{.ID}} {{.Comment}}', `${name}:v1`]);
    expect(history).toBe(`${id} from busybox`);
  });

  it('save, rmi, load: the same ID comes back', async () => {
    const archive = join(dir, 'saved.tar');
    await docker(['save', '-o', archive, `${name}:v1`]);
    const untag = await docker(['rmi', `localhost:5000/${engine.prefix}/other`]);
    expect(untag).toBe(`Untagged: localhost:5000/${engine.prefix}/other:latest`);
    const rmi = await docker(['rmi', `${name}:latest`, `${name}:v1`]);
    expect(rmi).toContain(`Untagged: ${name}:v1`);
    expect(rmi).toContain(`Deleted: ${id}`);
    expect(await docker(['images', '-q'])).toBe('');
    expect(await docker(['load', '-i', archive])).toBe(`Loaded image: ${name}:v1`);
    expect(await docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:v1`])).toBe(id);
  });

  it("rmi of an unknown image fails with Docker's message", async () => {
    await expect(docker(['rmi', `${name}:missing`])).rejects.toThrow(/No such image: .*:missing/);
  });

  it('skopeo reads the saved archive; its OCI layout (gzip layers) loads', async () => {
    const archive = join(dir, 'for-skopeo.tar');
    await docker(['save', '-o', archive, `${name}:v1`]);
    const info = JSON.parse((await run('skopeo', ['inspect', `docker-archive:${archive}`])).stdout);
    expect(info.Layers).toHaveLength(1);
    const oci = join(dir, 'oci.tar');
    await run('skopeo', [
      'copy',
      '--dest-compress',
      `docker-archive:${archive}`,
      `oci-archive:${oci}:${name}:oci`,
    ]);
    // skopeo rewrites the config as an OCI config, so the ID is that config's digest.
    const layout = join(dir, 'oci');
    await run('mkdir', ['-p', layout]);
    await run('tar', ['-xf', oci, '-C', layout]);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    const manifest = JSON.parse(
      readFileSync(join(layout, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'),
    );
    expect(manifest.layers[0].mediaType).toMatch(/gzip/);
    expect(await docker(['load', '-i', oci])).toBe(`Loaded image: ${name}:oci`);
    const loaded = JSON.parse(await docker(['image', 'inspect', `${name}:oci`]))[0];
    expect(loaded.Id).toBe(manifest.config.digest);
    const original = JSON.parse(await docker(['image', 'inspect', `${name}:v1`]))[0];
    expect(loaded.RootFS.Layers).toEqual(original.RootFS.Layers);
    await docker(['rmi', `${name}:oci`]);
  });

  it('rmi refuses an image a container uses (running: never; stopped: unless forced); commit and export', async () => {
    await docker(['tag', id, `${name}:run`]);
    const container = `${engine.prefix}-user`;
    await docker([
      'run',
      '-d',
      '--name',
      container,
      `${name}:run`,
      'sh',
      '-c',
      'echo data > /made-here; exec sleep 600',
    ]);
    try {
      const cid = (await docker(['inspect', '--format', '{{.Id}}', container])).slice(0, 12);
      await expect(docker(['rmi', '-f', id])).rejects.toThrow(
        new RegExp(
          `unable to delete ${id.slice(7, 19)} \\(cannot be forced\\) - image is being used by running container ${cid}`,
        ),
      );
      await docker(['stop', '-t', '0', container]);
      const stopped = docker(['rmi', id.slice(7, 19)]);
      await expect(stopped).rejects.toThrow(/must be forced\) - image is being used by stopped container/);
      // By name, the name goes and the image stays for its container.
      expect(await docker(['rmi', `${name}:run`])).toBe(`Untagged: ${name}:run`);
      const committed = await docker(['commit', container, `${name}:committed`]);
      expect(await docker(['run', '--rm', `${name}:committed`, 'cat', '/made-here'])).toBe('data');
      const exported = join(dir, 'export.tar');
      await docker(['export', '-o', exported, container]);
      const names = (await run('tar', ['-tf', exported])).stdout.split('\n');
      expect(names).toContain('made-here');
      expect(names).toContain('bin/busybox');
      await docker(['rmi', committed]).catch(() => undefined);
      await docker(['rmi', '-f', `${name}:committed`]).catch(() => undefined);
    } finally {
      await docker(['rm', '-f', container]);
    }
    engine.assertNoLeaks();
  });

  it('dangling images are listed with filters and pruned', async () => {
    const first = await docker(['import', '--message', 'first', busyboxRootfsTar(), `${name}:moving`]);
    const second = await docker(['import', '--message', 'second', busyboxRootfsTar(), `${name}:moving`]);
    expect(second).not.toBe(first);
    expect(await docker(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).toContain(first);
    const pruned = await docker(['image', 'prune', '-f']);
    expect(pruned).toContain(`deleted: ${first}`);
    await expect(docker(['image', 'inspect', first])).rejects.toThrow(/No such image/);
    expect(await docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:moving`])).toBe(second);
  });

  it('skopeo reads and writes the engine as a docker-daemon (API 1.22: save and load)', async () => {
    await docker(['tag', id, `${name}:skopeo-src`]);
    const info = JSON.parse(
      (await run('skopeo', ['inspect', '--daemon-host', engine.host, `docker-daemon:${name}:skopeo-src`]))
        .stdout,
    );
    expect(info.Layers).toEqual(JSON.parse(await docker(['image', 'inspect', id]))[0].RootFS.Layers);
    await run('skopeo', [
      'copy',
      '--src-daemon-host',
      engine.host,
      '--dest-daemon-host',
      engine.host,
      `docker-daemon:${name}:skopeo-src`,
      `docker-daemon:${name}:skopeo-dst`,
    ]);
    expect(await docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:skopeo-dst`])).toBe(id);
    await docker(['rmi', `${name}:skopeo-src`, `${name}:skopeo-dst`]);
  });
});
