import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../../../../runtime/api/route.js';
import { readTar } from '../../../../runtime/archive/tar-reader.js';
import { importImage } from '../../../../runtime/images/import.js';
import { loadImages } from '../../../../runtime/images/load.js';
import { saveImages } from '../../../../runtime/images/save.js';
import { busyboxRootfsTar } from '../../../support/busybox-rootfs.js';
import { imageServiceAt } from './image-service-fixture.js';

/** A request as the server would hand it to a handler: query and a streamed body. */
function request(query: string, body: Readable): ApiRequest {
  const q = new URLSearchParams(query);
  return {
    method: 'POST',
    path: '/',
    version: '1.41',
    params: {},
    query: q,
    headers: {},
    raw: body as ApiRequest['raw'],
    json: async () => ({}) as never,
    flag: (name) => ['1', 'true', 'True'].includes(q.get(name) ?? ''),
    filters: () => ({}),
    signal: new AbortController().signal,
  };
}

/** Collects what a handler answers: a streamed or piped body. */
function response(): { res: ApiResponse; body: () => Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(chunks)));
    out.on('error', reject);
  });
  const res: ApiResponse = {
    json: (_status, body) => out.end(JSON.stringify(body)),
    empty: () => out.end(),
    stream: () => out,
    pipe: (_status, _type, body) => body.pipe(out),
    hijack: () => {
      throw new Error('not used');
    },
  };
  return { res, body: () => done };
}

const service = imageServiceAt;

// Import, save and load through the handlers in-process on temporary data roots: the saved
// archive has the `docker save` layout and loads into another store with the same ID and names.
describe('save and load round trip', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-save-load-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the docker save layout and loads it back with the same ID', async () => {
    const first = await service(join(dir, 'a'));
    const imported = response();
    await importImage(
      first,
      request(
        'fromSrc=-&repo=rt/busybox&tag=1&changes=CMD%20%5B%22sh%22%5D',
        createReadStream(busyboxRootfsTar()),
      ),
      imported.res,
    );
    const id = JSON.parse((await imported.body()).toString()).status as string;
    await first.store.tag(id, 'docker.io/rt/busybox:2');

    const saved = response();
    saveImages(first, ['rt/busybox'], saved.res);
    const archive = await saved.body();
    const files = new Map<string, Buffer>();
    for await (const e of readTar(Readable.from([archive]))) {
      const chunks: Buffer[] = [];
      for await (const c of e.body) chunks.push(c);
      files.set(e.header.name, Buffer.concat(chunks));
    }
    const manifest = JSON.parse(files.get('manifest.json')?.toString() ?? '[]');
    expect(manifest).toEqual([
      {
        Config: `${id.slice(7)}.json`,
        RepoTags: ['rt/busybox:1', 'rt/busybox:2'],
        Layers: [expect.stringMatching(/^[a-f0-9]{64}\/layer\.tar$/)],
      },
    ]);
    const v1 = (manifest[0].Layers[0] as string).split('/')[0];
    expect(JSON.parse(files.get('repositories')?.toString() ?? '{}')).toEqual({
      'rt/busybox': { '1': v1, '2': v1 },
    });
    expect(files.get(`${v1}/VERSION`)?.toString()).toBe('1.0');
    expect(files.has(`${v1}/json`)).toBe(true);

    const second = await service(join(dir, 'b'));
    const loaded = response();
    await loadImages(second, request('quiet=1', Readable.from([archive])), loaded.res);
    const lines = (await loaded.body())
      .toString()
      .trim()
      .split(/\r?\n/)
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { stream: 'Loaded image: rt/busybox:1\n' },
      { stream: 'Loaded image: rt/busybox:2\n' },
    ]);
    expect((await second.resolve('rt/busybox:2')).id).toBe(id);
  });

  it('starts without an image whose config was lost on disk', async () => {
    const root = join(dir, 'lost');
    const images = await service(root);
    const imported = response();
    await importImage(
      images,
      request('fromSrc=-&repo=rt/lost', createReadStream(busyboxRootfsTar())),
      imported.res,
    );
    const id = JSON.parse((await imported.body()).toString()).status as string;
    rmSync(join(root, 'content/blobs/sha256', id.slice(7)));
    const again = await service(root);
    await expect(again.resolve('rt/lost')).rejects.toThrow(/No such image: rt\/lost:latest/);
    expect(again.count()).toBe(0);
  });
});
