import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderEntry } from '../../../../runtime/logs/cri-log.js';
import { readEntries } from '../../../../runtime/logs/log-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-cri-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CRI log entries keep bytes that are not UTF-8', () => {
  it('reads and renders binary and multi-byte content byte for byte', async () => {
    const binary = Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]);
    const accented = Buffer.from('héllo ✓', 'utf8');
    const path = join(dir, 'container.log');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('2026-01-01T10:00:00.000000001+00:00 stdout P '),
        binary,
        Buffer.from('\n2026-01-01T10:00:00.000000002+00:00 stderr F '),
        accented,
        Buffer.from('\n'),
      ]),
    );
    const { entries } = await readEntries(path);
    expect(entries.map((e) => e.stream)).toEqual(['stdout', 'stderr']);
    const [first, second] = entries;
    if (!first || !second) throw new Error('two entries expected');
    expect(renderEntry(first, false, true)).toEqual(binary);
    expect(renderEntry(second, false, true)).toEqual(Buffer.concat([accented, Buffer.from('\n')]));
    expect(renderEntry(second, true, true).subarray(0, 31).toString()).toBe(
      '2026-01-01T10:00:00.000000002Z ',
    );
  });
});
