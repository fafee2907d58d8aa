import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followLog, readLogTail } from '../../../src/engine/log-file.js';
import { eventually } from '../../support/eventually.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-log-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `berth engine logs [-n N] [-f]` over a real file that grows and rotates.
describe('engine log file reading', () => {
  it('prints the last lines, or all of them', () => {
    const path = join(dir, 'tail.log');
    writeFileSync(path, 'a\nb\nc\n');
    expect(readLogTail(path, 2)).toBe('b\nc\n');
    expect(readLogTail(path, 0)).toBe('');
    expect(readLogTail(path)).toBe('a\nb\nc\n');
    expect(readLogTail(join(dir, 'missing.log'), 5)).toBe('');
  });

  it('follows what is appended, across a rotation, until aborted', async () => {
    const path = join(dir, 'follow.log');
    writeFileSync(path, 'old\n');
    let seen = '';
    const ac = new AbortController();
    const following = followLog(path, (t) => (seen += t), ac.signal);
    appendFileSync(path, 'one\n');
    await eventually(() => expect(seen).toBe('one\n'));
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'two\n');
    await eventually(() => expect(seen).toBe('one\ntwo\n'));
    ac.abort();
    await following;
  });
});
