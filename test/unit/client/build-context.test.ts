import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext, type DockerfileSource } from '../../../src/client/build/context.js';
import { tarHeader } from '../../../src/client/build/tar-header.js';

let dir: string;
let out: string;

async function contextTar(d: string, source?: DockerfileSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await buildContext(d, source)).tar) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Lists an archive with the system's GNU tar: proof that what we write is a valid tar. */
function listing(tar: Buffer): string[] {
  const file = join(out, `ctx-${Math.random()}.tar`);
  writeFileSync(file, tar);
  return execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
  out = mkdtempSync(join(tmpdir(), 'berth-ctx-out-'));
  const long = `${'deep/'.repeat(30)}file-with-a-long-name.txt`;
  mkdirSync(join(dir, long, '..'), { recursive: true });
  writeFileSync(join(dir, long), 'long');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(
    join(dir, '.dockerignore'),
    '*.log\nnode_modules\nDockerfile\n.dockerignore\nvendor\n!vendor/keep.txt\n',
  );
  writeFileSync(join(dir, 'app.js'), 'x'.repeat(1000));
  writeFileSync(join(dir, 'debug.log'), 'no');
  writeFileSync(join(dir, 'ünïcode-名前.txt'), 'u');
  mkdirSync(join(dir, 'node_modules/pkg'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/pkg/index.js'), 'no');
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, 'vendor/drop.txt'), 'no');
  writeFileSync(join(dir, 'vendor/keep.txt'), 'keep');
  symlinkSync('app.js', join(dir, 'link.js'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('buildContext', () => {
  it('writes a valid tar honouring .dockerignore, keeping the Dockerfile and .dockerignore', async () => {
    const names = listing(await contextTar(dir));
    expect(names).toContain('Dockerfile');
    expect(names).toContain('.dockerignore');
    expect(names).toContain('app.js');
    expect(names).toContain('link.js');
    expect(names).toContain('ünïcode-名前.txt');
    expect(names).toContain('vendor/keep.txt');
    expect(names).toContain(`${'deep/'.repeat(30)}file-with-a-long-name.txt`);
    expect(names.filter((n) => /debug\.log|node_modules|drop\.txt/.test(n))).toEqual([]);
  });

  it('round-trips contents and symlinks through GNU tar', async () => {
    const file = join(out, 'rt.tar');
    writeFileSync(file, await contextTar(dir));
    const x = join(out, 'x');
    mkdirSync(x);
    execFileSync('tar', ['-xf', file, '-C', x]);
    expect(readFileSync(join(x, 'app.js'), 'utf8')).toBe('x'.repeat(1000));
    expect(readFileSync(join(x, 'link.js'), 'utf8')).toBe('x'.repeat(1000));
    expect(readFileSync(join(x, 'vendor/keep.txt'), 'utf8')).toBe('keep');
  });

  it('keeps a Dockerfile that sits in an excluded directory', async () => {
    const d = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
    try {
      mkdirSync(join(d, 'build'));
      writeFileSync(join(d, 'build/app.Dockerfile'), 'FROM scratch\n');
      writeFileSync(join(d, 'build/other'), 'x');
      writeFileSync(join(d, '.dockerignore'), 'build\n');
      const ctx = await buildContext(d, { dockerfile: 'build/app.Dockerfile' });
      expect(ctx.dockerfile).toBe('build/app.Dockerfile');
      expect(listing(await contextTar(d, { dockerfile: 'build/app.Dockerfile' }))).toEqual([
        '.dockerignore',
        'build/app.Dockerfile',
      ]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('adds an inline Dockerfile, or one outside the context, under a content-derived name', async () => {
    const inline = await buildContext(dir, { inline: 'FROM scratch\nLABEL inline=1\n' });
    expect(inline.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    inline.tar.destroy();
    const names = listing(await contextTar(dir, { inline: 'FROM scratch\nLABEL inline=1\n' }));
    expect(names).toContain(inline.dockerfile);
    const outsideDir = mkdtempSync(join(tmpdir(), 'berth-df-'));
    try {
      writeFileSync(join(outsideDir, 'Dockerfile.out'), 'FROM scratch\n');
      const outside = await buildContext(dir, { dockerfile: join(outsideDir, 'Dockerfile.out') });
      outside.tar.destroy();
      expect(outside.dockerfile).toMatch(/^\.dockerfile\./);
    } finally {
      rmSync(outsideDir, { recursive: true, force: true });
    }
  });

  it('rejects a missing Dockerfile before sending anything', async () => {
    await expect(buildContext(dir, { dockerfile: 'nope/Dockerfile' })).rejects.toMatchObject({
      kind: 'invalid',
    });
    await expect(buildContext(dir, { dockerfile: '../nope.Dockerfile' })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('rejects a context that is not a directory', async () => {
    await expect(buildContext(join(dir, 'app.js'))).rejects.toMatchObject({ kind: 'invalid' });
  });
});

describe('tarHeader', () => {
  it('is one 512-byte block for a short ASCII name, with a valid checksum', () => {
    const h = tarHeader({ name: 'a.txt', type: 'file', mode: 0o644, size: 3, mtime: 0 });
    expect(h.length).toBe(512);
    const stored = Number.parseInt(h.subarray(148, 155).toString(), 8);
    const copy = Buffer.from(h);
    copy.fill(' ', 148, 156);
    expect(stored).toBe(copy.reduce((s, b) => s + b, 0));
  });

  it('adds a PAX header for long names', () => {
    const h = tarHeader({ name: 'x'.repeat(150), type: 'file', mode: 0o644, size: 0, mtime: 0 });
    expect(h.length).toBe(512 * 3);
    expect(h.subarray(512, 1024).toString()).toContain(`path=${'x'.repeat(150)}\n`);
  });
});
