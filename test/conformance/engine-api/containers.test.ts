import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { TAR_END, tarHeader, tarPadding } from '../../../src/client/build/tar-header.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { forEachEngine, readAll, rejection } from './harness.js';

/** A one-file tar archive. */
function oneFileTar(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  return Buffer.concat([
    tarHeader({ name, type: 'file', mode: 0o644, size: body.length, mtime: 0 }),
    body,
    tarPadding(body.length),
    TAR_END,
  ]);
}

forEachEngine('containers', (ctx, test) => {
  test('create, inspect, list with filters', async () => {
    const { client, container, prefix } = ctx();
    const id = await container('basic', { Labels: { 'berth.test': prefix }, Env: ['A=1'] });
    const inspect = await client.containers.inspect(id);
    expect(inspect.Name).toBe(`/${prefix}-basic`);
    expect(inspect.State.Status).toBe('created');
    expect(inspect.Config.Env).toContain('A=1');
    expect(inspect.Config.Image).toBe(TEST_IMAGE);
    const byLabel = await client.containers.list({ all: true, filters: { label: [`berth.test=${prefix}`] } });
    expect(byLabel.map((c) => c.Id)).toEqual([id]);
    expect(byLabel[0]!.Labels['berth.test']).toBe(prefix);
    expect(await client.containers.list({ filters: { id: [id] } })).toEqual([]);
    expect(
      (
        await client.containers.list({
          all: true,
          filters: { name: [`${prefix}-basic`], status: ['created'] },
        })
      ).length,
    ).toBe(1);
  });

  test('start, pause, unpause, top, stop, restart, kill, wait, rename, remove', async () => {
    const { client, container, prefix } = ctx();
    const id = await container('life', { StopSignal: 'SIGKILL' });
    await client.containers.start(id);
    expect((await client.containers.inspect(id)).State.Running).toBe(true);
    expect((await client.containers.list({ filters: { id: [id], status: ['running'] } })).length).toBe(1);
    const top = await client.containers.top(id);
    expect(top.Titles).toContain('PID');
    expect(top.Processes.some((p) => p.join(' ').includes('sleep 300'))).toBe(true);
    await client.containers.pause(id);
    expect((await client.containers.inspect(id)).State.Status).toBe('paused');
    await client.containers.unpause(id);
    await client.containers.stop(id, { t: 1 });
    expect((await client.containers.inspect(id)).State.Running).toBe(false);
    await client.containers.restart(id, { t: 1 });
    expect((await client.containers.inspect(id)).State.Running).toBe(true);
    // PID 1 ignores SIGTERM without a handler; kill defaults to SIGKILL.
    const waiting = client.containers.wait(id);
    await client.containers.kill(id);
    expect((await waiting).StatusCode).toBe(137);
    await client.containers.rename(id, `${prefix}-renamed`);
    expect((await client.containers.inspect(id)).Name).toBe(`/${prefix}-renamed`);
    await client.containers.remove(id);
    expect((await rejection(client.containers.inspect(id))).kind).toBe('not-found');
  });

  test('stop with a custom signal lets the process handle it', async () => {
    const { client, container } = ctx();
    const id = await container('sig', {
      Cmd: ['sh', '-c', 'trap "exit 7" USR1; while true; do sleep 0.1; done'],
    });
    await client.containers.start(id);
    await client.containers.stop(id, { signal: 'SIGUSR1', t: 20 });
    expect((await client.containers.inspect(id)).State.ExitCode).toBe(7);
  });

  test('wait with next-exit and removed conditions', async () => {
    const { client, container } = ctx();
    const id = await container('waiter', { Cmd: ['sh', '-c', 'exit 3'] });
    const nextExit = await client.containers.registerWait(id, { condition: 'next-exit' });
    await client.containers.start(id);
    expect(await nextExit.result).toMatchObject({ StatusCode: 3 });
    const removed = client.containers.wait(id, { condition: 'removed' });
    await client.containers.remove(id);
    expect((await removed).StatusCode).toBe(3);
  });

  test('a next-exit wait set up just before start sees an instant exit', async () => {
    const { client, container } = ctx();
    for (let i = 0; i < 5; i++) {
      const id = await container(`instant-${i}`, { Cmd: ['sh', '-c', `exit ${i + 1}`] });
      const exited = client.containers.wait(id, { condition: 'next-exit' });
      await client.containers.start(id);
      expect((await exited).StatusCode).toBe(i + 1);
    }
  });

  test('a wait can be cancelled with an AbortSignal', async () => {
    const { client, container } = ctx();
    const id = await container('abort-wait');
    await client.containers.start(id);
    const abort = new AbortController();
    const waiting = client.containers.wait(id, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect((await rejection(waiting)).kind).toBe('cancelled');
    await client.containers.remove(id, { force: true });
  });

  test('archives: put a file in, stat it, get it back', async () => {
    const { client, container } = ctx();
    const id = await container('archive');
    await client.containers.putArchive(id, '/tmp', Readable.from([oneFileTar('hello.txt', 'hi there\n')]));
    const stat = await client.containers.statPath(id, '/tmp/hello.txt');
    expect(stat).toMatchObject({ name: 'hello.txt', size: 9 });
    const { stat: s2, tar } = await client.containers.getArchive(id, '/tmp/hello.txt');
    expect(s2?.size).toBe(9);
    const bytes = await readAll(tar);
    expect(bytes.subarray(0, 9).toString()).toBe('hello.txt');
    expect(bytes.includes(Buffer.from('hi there\n'))).toBe(true);
    expect((await rejection(client.containers.statPath(id, '/nope'))).kind).toBe('not-found');
  });

  test('remove: a running container needs force; v removes its anonymous volumes, without v they stay', async () => {
    const { client, container } = ctx();
    const anonymousVolume = async (id: string) =>
      (await client.containers.inspect(id)).Mounts.find((m) => m.Destination === '/data')!.Name!;
    const kept = await container('rm-keep', { Volumes: { '/data': {} } });
    const dropped = await container('rm-drop', { Volumes: { '/data': {} } });
    const [keptVolume, droppedVolume] = [await anonymousVolume(kept), await anonymousVolume(dropped)];
    await client.containers.start(dropped);
    expect((await rejection(client.containers.remove(dropped))).kind).toBe('conflict');
    await client.containers.remove(dropped, { force: true, v: true });
    await client.containers.remove(kept);
    try {
      expect((await rejection(client.containers.inspect(dropped))).kind).toBe('not-found');
      expect((await rejection(client.volumes.inspect(droppedVolume))).kind).toBe('not-found');
      expect((await client.volumes.inspect(keptVolume)).Name).toBe(keptVolume);
    } finally {
      await client.volumes.remove(keptVolume).catch(() => {});
    }
  });

  test('prune removes stopped containers matching a label', async () => {
    const { client, container, prefix } = ctx();
    const id = await container('prunable', { Labels: { 'berth.prune': prefix } });
    const res = await client.containers.prune({ label: [`berth.prune=${prefix}`] });
    expect(res.ContainersDeleted).toEqual([id]);
  });

  test('attach with stdin: write, half-close, read both streams', async () => {
    const { client, container } = ctx();
    const id = await container('attach', {
      Cmd: ['sh', '-c', 'cat; echo done >&2'],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
    const session = await client.containers.attach(id, {
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
    });
    expect(session.tty).toBe(false);
    await client.containers.start(id);
    session.stdin.end('hello through stdin\n');
    const [out, err] = await Promise.all([readAll(session.stdout), readAll(session.stderr)]);
    expect(out.toString()).toBe('hello through stdin\n');
    expect(err.toString()).toBe('done\n');
    await eventually(async () => expect((await client.containers.inspect(id)).State.Status).toBe('exited'));
  });
});
