import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { EngineClient } from '../../../src/client/engine-client.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { forEachEngine, rejection } from './harness.js';

forEachEngine('error kinds', (ctx, test) => {
  test('not-found: a missing container, with endpoint and status in the context', async () => {
    const err = await rejection(ctx().client.containers.inspect(`${ctx().prefix}-missing`));
    expect(err.kind).toBe('not-found');
    expect(err.message).toMatch(/no such container/i);
    expect(err.context).toMatchObject({
      endpoint: `GET /containers/${ctx().prefix}-missing/json`,
      status: 404,
    });
  });

  test('conflict: a name already in use', async () => {
    await ctx().container('dup');
    const err = await rejection(ctx().container('dup'));
    expect(err.kind).toBe('conflict');
    expect(err.context.endpoint).toBe('POST /containers/create');
    const stopped = await ctx().container('not-running');
    const exec = await rejection(ctx().client.exec.create(stopped, { Cmd: ['true'] }));
    expect(exec.kind).toBe('conflict');
    const attach = await rejection(ctx().client.containers.attach(`${ctx().prefix}-nowhere`, { tty: false }));
    expect(attach.kind).toBe('not-found');
  });

  test('invalid: a malformed request', async () => {
    const err = await rejection(ctx().client.containers.create({ Image: TEST_IMAGE }, { name: 'bad/name!' }));
    expect(err.kind).toBe('invalid');
  });

  test('not-modified: starting a running container, stopping a stopped one', async () => {
    const { client, container } = ctx();
    const id = await container('nm');
    await client.containers.start(id);
    expect((await rejection(client.containers.start(id))).kind).toBe('not-modified');
    await client.containers.kill(id);
    await client.containers.wait(id);
    expect((await rejection(client.containers.stop(id))).kind).toBe('not-modified');
  });

  test('engine: a server-side failure (a corrupt archive)', async () => {
    const id = await ctx().container('corrupt');
    const err = await rejection(
      ctx().client.containers.putArchive(id, '/tmp', Buffer.from('not a tar archive\n')),
    );
    expect(err.kind).toBe('engine');
    expect(err.context.status).toBeGreaterThanOrEqual(500);
  });

  test('unavailable: a socket nobody listens on is refused', async () => {
    const path = join(tmpdir(), `${ctx().prefix}-dead.sock`);
    const server = createServer();
    await new Promise<void>((r) => server.listen(path, r));
    // Closing the listener while keeping the file leaves a socket that refuses connections.
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    expect(fd).toBeGreaterThan(0);
    await new Promise<void>((r) => server.close(() => r()));
    try {
      const client = new EngineClient({ host: `unix://${path}` });
      const err = await rejection(client.system.info());
      expect(err.kind).toBe('unavailable');
      expect(err.message).toMatch(
        /^cannot reach the engine at unix:\/\/.*: (no such socket|connection refused)\. Start one/,
      );
    } finally {
      rmSync(path, { force: true });
    }
  });

  test('timeout: a metadata-kind call that outlives its timeout', async () => {
    const { container, engine } = ctx();
    const id = await container('slow-stop', {
      StopTimeout: 5,
      Cmd: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'],
    });
    await ctx().client.containers.start(id);
    const impatient = new EngineClient({ host: engine.host, timeouts: { mutation: 300 } });
    try {
      const err = await rejection(impatient.containers.restart(id));
      expect(err.kind).toBe('timeout');
      expect(err.context.endpoint).toBe(`POST /containers/${id}/restart`);
    } finally {
      impatient.close();
      await ctx().client.containers.remove(id, { force: true });
    }
  });

  test('cancelled: an aborted call', async () => {
    const abort = new AbortController();
    abort.abort();
    expect((await rejection(ctx().client.containers.list({ signal: abort.signal }))).kind).toBe('cancelled');
  });
});
