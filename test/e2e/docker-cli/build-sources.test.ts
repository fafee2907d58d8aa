import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContainerHarness, startHarness } from '../../conformance/containers/harness.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';

/** A Dockerfile whose RUN leaves a stamp no second run reproduces: equal stamps mean a cache hit. */
const STAMPED = `FROM ${TEST_IMAGE}
COPY message.txt /message.txt
RUN cat /proc/sys/kernel/random/uuid > /stamp
CMD ["cat", "/stamp"]
`;

// The classic builder (DOCKER_BUILDKIT=0) of the real docker CLI against the embedded engine:
// COPY/ADD sources are plain files, and `--cache-from` images stand in for steps.
describe('docker build: sources and --cache-from on the embedded engine', () => {
  let h: ContainerHarness;
  let dir: string;
  const build = async (context: string, args: string[]) =>
    (await h.docker(['build', ...args, join(dir, context)])).stdout;
  const stamp = async (ref: string) => (await h.docker(['run', '--rm', ref])).stdout;

  beforeAll(async () => {
    h = await startHarness('crun');
    dir = mkdtempSync(join(tmpdir(), 'berth-build-sources-'));
    for (const c of ['stamped', 'extended', 'sources']) mkdirSync(join(dir, c));
    writeFileSync(join(dir, 'stamped', 'Dockerfile'), STAMPED);
    writeFileSync(join(dir, 'extended', 'Dockerfile'), `${STAMPED}RUN echo more > /more\n`);
    for (const c of ['stamped', 'extended']) writeFileSync(join(dir, c, 'message.txt'), 'hi\n');
  });
  afterAll(async () => {
    if (h) {
      const images = (await h.docker(['images', '-q', '--no-trunc'])).stdout.split('\n').filter(Boolean);
      await h.docker(
        ['rm', '-f', ...(await h.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean), 'x'],
        {
          allowFailure: true,
        },
      );
      for (const id of images) await h.docker(['rmi', '-f', id], { allowFailure: true });
      h.engine.assertNoLeaks();
      await h.engine.stop();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ADD --chown owns unpacked archive entries; a .wh. context file is copied as a file', async () => {
    const ctx = join(dir, 'sources');
    mkdirSync(join(ctx, 'tree', 'd'), { recursive: true });
    writeFileSync(join(ctx, 'tree', 'd', 'f'), 'x\n');
    execFileSync('tar', [
      '--owner=1234',
      '--group=4321',
      '-C',
      join(ctx, 'tree'),
      '-cf',
      join(ctx, 'app.tar'),
      'd',
    ]);
    writeFileSync(join(ctx, '.wh.keep'), 'not a whiteout\n');
    writeFileSync(join(ctx, 'keep'), 'kept\n');
    writeFileSync(
      join(ctx, 'Dockerfile'),
      `FROM ${TEST_IMAGE}
ADD --chown=65534:65534 app.tar /owned/
ADD app.tar /kept/
COPY keep .wh.keep /ctx/
RUN cat /ctx/keep > /seen
`,
    );
    const tag = `${h.engine.prefix}/sources:1`;
    await build('sources', ['-t', tag]);
    const owners = await h.docker([
      ...['run', '--rm', tag, 'stat', '-c', '%u:%g'],
      ...['/owned/d', '/owned/d/f', '/kept/d', '/kept/d/f'],
    ]);
    expect(owners.stdout.split('\n').filter(Boolean)).toEqual([
      '65534:65534',
      '65534:65534',
      '1234:4321',
      '1234:4321',
    ]);
    expect((await h.docker(['run', '--rm', tag, 'cat', '/seen'])).stdout).toBe('kept\n');
    // COPY read the context's .wh.keep as a file and stored its bytes in the layer. (A layer can
    // only carry the name as a whiteout, so images show it as such, as with Docker's builders.)
    const saved = join(dir, 'sources.tar');
    const unpacked = join(dir, 'sources-saved');
    mkdirSync(unpacked);
    await h.docker(['save', '-o', saved, tag]);
    execFileSync('tar', ['-C', unpacked, '-xf', saved]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'))[0];
    const copied = (manifest.Layers as string[])
      .map((layer) => join(unpacked, layer))
      .filter((layer) => execFileSync('tar', ['-tf', layer]).toString().split('\n').includes('ctx/.wh.keep'));
    expect(copied).toHaveLength(1);
    const bytes = execFileSync('tar', ['-xOf', copied[0] as string, 'ctx/.wh.keep']).toString();
    expect(bytes).toBe('not a whiteout\n');
  });

  it('--cache-from reuses the steps of a loaded image whose history matches, and only those', async () => {
    const first = `${h.engine.prefix}/stamped:1`;
    await build('stamped', ['-t', first]);
    const original = await stamp(first);
    const firstId = (await h.docker(['inspect', '-f', '{{.Id}}', first])).stdout.trim();
    // Forget everything but the image itself, as a CI machine that pulled or loaded it would.
    const saved = join(dir, 'stamped.tar');
    await h.docker(['save', '-o', saved, first]);
    await h.docker(['rmi', first]);
    await h.docker(['builder', 'prune', '-a', '-f']);
    await h.docker(['load', '-i', saved]);

    const again = `${h.engine.prefix}/stamped:2`;
    const out = await build('stamped', ['--cache-from', first, '-t', again]);
    expect(out.match(/Using cache/g)?.length).toBe(3);
    expect((await h.docker(['inspect', '-f', '{{.Id}}', again])).stdout.trim()).toBe(firstId);

    const extended = `${h.engine.prefix}/extended:1`;
    const extOut = await build('extended', ['--cache-from', first, '-t', extended]);
    expect(extOut.match(/Using cache/g)?.length).toBe(3);
    expect(await stamp(extended)).toBe(original);
    const more = await h.docker(['run', '--rm', extended, 'cat', '/more']);
    expect(more.stdout).toBe('more\n');

    const fresh = `${h.engine.prefix}/stamped:fresh`;
    const freshOut = await build('stamped', ['--cache-from', first, '--no-cache', '-t', fresh]);
    expect(freshOut).not.toMatch(/Using cache/);
    expect(await stamp(fresh)).not.toBe(original);
  });
});
