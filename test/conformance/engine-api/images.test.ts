import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { drain, forEachEngine, readAll, rejection } from './harness.js';

forEachEngine('images', (ctx, test) => {
  test('list, inspect and history of the test image', async () => {
    const { client } = ctx();
    const inspect = await client.images.inspect(TEST_IMAGE);
    expect(inspect.Config.Cmd).toEqual(['sh']);
    expect(inspect.Os).toBe('linux');
    const listed = await client.images.list({ filters: { reference: [TEST_IMAGE] } });
    expect(listed.map((i) => i.Id)).toContain(inspect.Id);
    const history = await client.images.history(TEST_IMAGE);
    expect(history.length).toBeGreaterThan(0);
    expect(history[0]!.Id).toBe(inspect.Id);
  });

  test('tag and remove', async () => {
    const { client, prefix } = ctx();
    await client.images.tag(TEST_IMAGE, `${prefix}/tagged`, 'v1');
    expect((await client.images.inspect(`${prefix}/tagged:v1`)).Id).toBe(
      (await client.images.inspect(TEST_IMAGE)).Id,
    );
    const removed = await client.images.remove(`${prefix}/tagged:v1`);
    expect(removed).toEqual([{ Untagged: `${prefix}/tagged:v1` }]);
    expect((await rejection(client.images.inspect(`${prefix}/tagged:v1`))).kind).toBe('not-found');
  });

  test('save and load round trip', async () => {
    const { client, prefix, images } = ctx();
    const ref = `${prefix}/saved:v1`;
    images.add(ref);
    await client.images.tag(TEST_IMAGE, `${prefix}/saved`, 'v1');
    const tar = await readAll(await client.images.save([ref]));
    expect(tar.length).toBeGreaterThan(1024 * 1024);
    await client.images.remove(ref);
    const events = await drain(client.images.load(tar));
    expect(events.map((e) => e.stream ?? '').join('')).toContain(`Loaded image: ${ref}`);
    expect((await client.images.inspect(ref)).Id).toBe((await client.images.inspect(TEST_IMAGE)).Id);
  });

  test('build from a directory honours .dockerignore, dockerfile, buildargs, target and labels', async () => {
    const { client, prefix, images } = ctx();
    const dir = mkdtempSync(join(tmpdir(), 'berth-build-'));
    try {
      mkdirSync(join(dir, 'docker'));
      writeFileSync(
        join(dir, 'docker/app.Dockerfile'),
        [
          `FROM ${TEST_IMAGE} AS base`,
          'ARG GREETING=unset',
          'COPY . /ctx/',
          'RUN echo "$GREETING" > /greeting && ls -A /ctx | sort > /listing',
          'FROM base AS final',
          'RUN exit 1',
        ].join('\n'),
      );
      writeFileSync(join(dir, '.dockerignore'), 'secret.txt\n*.log\n!keep.log\n');
      for (const f of ['app.txt', 'secret.txt', 'drop.log', 'keep.log']) writeFileSync(join(dir, f), f);
      const ref = `${prefix}/built:v1`;
      images.add(ref);
      const events = await drain(
        client.images.build(dir, {
          dockerfile: 'docker/app.Dockerfile',
          t: ref,
          buildargs: { GREETING: 'hello-build' },
          target: 'base',
          labels: { 'berth.test': prefix },
          nocache: true,
        }),
      );
      expect(events.some((e) => e.aux?.ID?.startsWith('sha256:'))).toBe(true);
      const image = await client.images.inspect(ref);
      expect(image.Config.Labels).toMatchObject({ 'berth.test': prefix });
      const { Id } = await client.containers.create(
        { Image: ref, Cmd: ['sh', '-c', 'cat /greeting /listing'] },
        { name: `${prefix}-built` },
      );
      await client.containers.start(Id);
      await client.containers.wait(Id);
      const { stdout, stderr } = await client.containers.logs(Id);
      stderr.resume();
      expect((await readAll(stdout)).toString()).toBe(
        'hello-build\n.dockerignore\napp.txt\ndocker\nkeep.log\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('build with an inline Dockerfile', async () => {
    const { client, prefix, images } = ctx();
    const dir = mkdtempSync(join(tmpdir(), 'berth-build-'));
    try {
      const ref = `${prefix}/inline:v1`;
      images.add(ref);
      const dockerfileInline = `FROM ${TEST_IMAGE}\nLABEL from=inline\n`;
      await drain(client.images.build(dir, { dockerfileInline, t: ref }));
      expect((await client.images.inspect(ref)).Config.Labels).toMatchObject({ from: 'inline' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failing build step is a failed error carrying the step output', async () => {
    const { client } = ctx();
    const dir = mkdtempSync(join(tmpdir(), 'berth-build-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo about to fail && exit 3\n`);
      const err = await rejection(drain(client.images.build(dir, { rm: true, forcerm: true })));
      expect(err.kind).toBe('failed');
      expect(err.message).toMatch(/non-zero code: 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('import creates an image from a rootfs tar with changes', async () => {
    const { client, prefix, images } = ctx();
    const tar = await readAll(await client.containers.export(await ctx().container('export-me')));
    images.add(`${prefix}/imported:v2`);
    await drain(
      client.images.import(tar, {
        repo: `${prefix}/imported`,
        tag: 'v2',
        changes: ['CMD ["echo", "imported"]', 'LABEL a=b'],
      }),
    );
    const image = await client.images.inspect(`${prefix}/imported:v2`);
    expect(image.Config.Cmd).toEqual(['echo', 'imported']);
    expect(image.Config.Labels).toEqual({ a: 'b' });
  });

  test('prune removes dangling images only', async () => {
    const { client, prefix } = ctx();
    const res = await client.images.prune({ label: [`berth.never=${prefix}`] });
    expect(res.ImagesDeleted ?? []).toEqual([]);
  });
});
