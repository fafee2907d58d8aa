import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTar } from '../../../../runtime/archive/tar-reader.js';
import { TarWriter } from '../../../../runtime/archive/tar-writer.js';

describe('tar writer and reader', () => {
  it('round-trips long names and links (PAX), large ids, xattrs and bodies', async () => {
    const writer = new TarWriter();
    const longName = `${'dir/'.repeat(40)}file-with-a-long-name.txt`;
    const body = Buffer.alloc(70_000, 7);
    const done = (async () => {
      await writer.add(
        { name: longName, type: 'file', mode: 0o4755, uid: 3_000_000, gid: 12, mtime: 1_700_000_000 },
        body,
      );
      await writer.add({ name: 'l', type: 'symlink', linkname: `/${'x'.repeat(200)}` });
      await writer.add({
        name: 'd/',
        type: 'directory',
        mode: 0o755,
        xattrs: { 'user.k': Buffer.from('v') },
      });
      await writer.add(
        { name: 'streamed', type: 'file', size: 5 },
        Readable.from([Buffer.from('hel'), Buffer.from('lo!!')]),
      );
      await writer.finish();
    })();
    const seen: Array<Record<string, unknown>> = [];
    for await (const e of readTar(writer.stream)) {
      const chunks: Buffer[] = [];
      for await (const c of e.body) chunks.push(c);
      const data = Buffer.concat(chunks);
      seen.push({ ...e.header, data: data.length > 16 ? data.length : data.toString() });
    }
    await done;
    expect(seen.map((s) => [s.name, s.type, s.linkname, s.uid, s.mode, s.data])).toEqual([
      [longName, 'file', '', 3_000_000, 0o4755, 70_000],
      ['l', 'symlink', `/${'x'.repeat(200)}`, 0, 0o644, ''],
      ['d/', 'directory', '', 0, 0o755, ''],
      ['streamed', 'file', '', 0, 0o644, 'hello'],
    ]);
    const xattrs = (seen[2]?.xattrs ?? {}) as Record<string, Buffer>;
    expect(xattrs['user.k']?.toString()).toBe('v');
  });

  it('reads GNU tar output (long names, numeric owners)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-gnutar-'));
    try {
      const deep = join(dir, 'a'.repeat(120));
      mkdirSync(deep);
      writeFileSync(join(deep, 'b'.repeat(120)), 'gnu');
      const tar = execFileSync('tar', ['--format=gnu', '--numeric-owner', '-C', dir, '-cf', '-', '.']);
      const names: string[] = [];
      for await (const e of readTar(Readable.from([tar]))) names.push(e.header.name);
      expect(names).toEqual(['./', `./${'a'.repeat(120)}/`, `./${'a'.repeat(120)}/${'b'.repeat(120)}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
