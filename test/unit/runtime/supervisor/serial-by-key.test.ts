import { describe, expect, it } from 'vitest';
import { SerialByKey } from '../../../../runtime/supervisor/serial-by-key.js';

/** A task that records its start and end, and finishes when released. */
function task(log: string[], name: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const run = async () => {
    log.push(`start ${name}`);
    await gate;
    log.push(`end ${name}`);
    return name;
  };
  return { run, release };
}

describe('SerialByKey', () => {
  it('runs tasks of one key in order and tasks of other keys at once', async () => {
    const log: string[] = [];
    const q = new SerialByKey();
    const a1 = task(log, 'a1');
    const a2 = task(log, 'a2');
    const b1 = task(log, 'b1');
    const p = [q.run('a', a1.run), q.run('a', a2.run), q.run('b', b1.run)];
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['start a1', 'start b1']);
    a2.release();
    b1.release();
    a1.release();
    expect(await Promise.all(p)).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
  });

  it('runs the next task after a failed one, and the caller sees its own result', async () => {
    const q = new SerialByKey();
    const failed = q.run('k', async () => {
      throw new Error('boom');
    });
    const next = q.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
