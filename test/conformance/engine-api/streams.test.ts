import { expect } from 'vitest';
import { forEachEngine, readAll } from './harness.js';

const MIB = 1024 * 1024;
const BINARY = Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x0a]);

/**
 * Writes interleaved stdout and stderr: small lines, a 1 MiB line, raw binary bytes (printf
 * octal escapes), then a last line on each stream.
 */
const WRITER = [
  'echo out-1',
  'echo err-1 >&2',
  'head -c 1048576 /dev/zero | tr "\\000" a',
  'echo',
  'echo err-2 >&2',
  "printf '\\000\\001\\002\\177\\200\\376\\377\\n'",
  'head -c 1048576 /dev/zero | tr "\\000" b >&2',
  'echo out-end',
  'echo err-end >&2',
].join('; ');

const expectedOut = Buffer.concat([
  Buffer.from('out-1\n'),
  Buffer.alloc(MIB, 'a'),
  Buffer.from('\n'),
  BINARY,
  Buffer.from('out-end\n'),
]);
const expectedErr = Buffer.concat([
  Buffer.from('err-1\nerr-2\n'),
  Buffer.alloc(MIB, 'b'),
  Buffer.from('err-end\n'),
]);

forEachEngine('streams', (ctx, test) => {
  test('attach splits live interleaved stdout and stderr exactly (1 MiB lines, binary bytes)', async () => {
    const { client, container } = ctx();
    const id = await container('attach-bytes', {
      Cmd: ['sh', '-c', WRITER],
      AttachStdout: true,
      AttachStderr: true,
    });
    const { stdout, stderr } = await client.containers.attach(id, {
      stream: true,
      stdout: true,
      stderr: true,
    });
    await client.containers.start(id);
    const [out, err] = await Promise.all([readAll(stdout), readAll(stderr)]);
    expect(out.equals(expectedOut)).toBe(true);
    expect(err.equals(expectedErr)).toBe(true);
    expect((await client.containers.wait(id)).StatusCode).toBe(0);
  });

  test('logs split stored stdout and stderr exactly (1 MiB lines)', async () => {
    const { client, container } = ctx();
    // Text only: log drivers store lines, and json-file re-encodes bytes that are not UTF-8.
    const writer =
      'echo out-1; echo err-1 >&2; head -c 1048576 /dev/zero | tr "\\000" a; echo; echo err-2 >&2; echo out-end';
    const id = await container('logs', { Cmd: ['sh', '-c', writer] });
    await client.containers.start(id);
    expect((await client.containers.wait(id)).StatusCode).toBe(0);
    const { stdout, stderr } = await client.containers.logs(id);
    const [out, err] = await Promise.all([readAll(stdout), readAll(stderr)]);
    const want = Buffer.concat([Buffer.from('out-1\n'), Buffer.alloc(MIB, 'a'), Buffer.from('\nout-end\n')]);
    expect(out.equals(want)).toBe(true);
    expect(err.toString()).toBe('err-1\nerr-2\n');
  });

  test('logs follow streams until the container exits; tail, since, timestamps and one stream only', async () => {
    const { client, container } = ctx();
    const id = await container('follow', {
      Cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line-$i; echo e-$i >&2; sleep 0.05; done'],
    });
    await client.containers.start(id);
    const { stdout, stderr } = await client.containers.logs(id, { follow: true });
    const [out, err] = await Promise.all([readAll(stdout), readAll(stderr)]);
    expect(out.toString()).toBe('line-1\nline-2\nline-3\nline-4\nline-5\n');
    expect(err.toString()).toBe('e-1\ne-2\ne-3\ne-4\ne-5\n');
    // tail counts lines of both streams; only stdout is asked for.
    const tail = await client.containers.logs(id, { stdout: true, tail: 4, timestamps: true });
    const [tailOut, tailErr] = await Promise.all([readAll(tail.stdout), readAll(tail.stderr)]);
    expect(tailOut.toString()).toMatch(/^\d{4}-\d\d-\d\dT\S+ line-4\n\S+ line-5\n$/);
    expect(tailErr.length).toBe(0);
    // since: from line-4's own timestamp (cut to the millisecond a Date holds) onwards.
    const at = new Date(tailOut.toString().split(' ')[0]!);
    const since = await client.containers.logs(id, { since: at });
    const [sinceOut, sinceErr] = await Promise.all([readAll(since.stdout), readAll(since.stderr)]);
    expect(sinceOut.toString()).toBe('line-4\nline-5\n');
    expect(sinceErr.toString()).toBe('e-4\ne-5\n');
  });

  test('logs follow ends with a cancelled error when its AbortSignal fires', async () => {
    const { client, container } = ctx();
    const id = await container('follow-abort', { Cmd: ['sh', '-c', 'echo first; sleep 300'] });
    await client.containers.start(id);
    const abort = new AbortController();
    const { stdout, stderr } = await client.containers.logs(id, { follow: true, signal: abort.signal });
    stderr.on('error', () => {});
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      if (Buffer.concat(chunks).toString() === 'first\n') abort.abort();
    });
    const err = await new Promise<{ kind?: string }>((resolve) => stdout.on('error', resolve));
    expect(err.kind).toBe('cancelled');
    await client.containers.remove(id, { force: true });
  });

  test('a TTY container logs one raw stream', async () => {
    const { client, container } = ctx();
    const id = await container('tty', { Tty: true, Cmd: ['sh', '-c', 'echo on-tty; echo also >&2'] });
    await client.containers.start(id);
    await client.containers.wait(id);
    const { stdout, stderr } = await client.containers.logs(id);
    const [out, err] = await Promise.all([readAll(stdout), readAll(stderr)]);
    expect(out.toString()).toBe('on-tty\r\nalso\r\n');
    expect(err.length).toBe(0);
  });

  test('exec reports exit codes and splits its output', async () => {
    const { client, container } = ctx();
    const id = await container('exec');
    await client.containers.start(id);
    for (const code of [0, 1, 42]) {
      const { Id } = await client.exec.create(id, {
        Cmd: ['sh', '-c', `echo to-out; echo to-err >&2; exit ${code}`],
      });
      const session = await client.exec.start(Id);
      const [out, err] = await Promise.all([readAll(session.stdout), readAll(session.stderr)]);
      expect(out.toString()).toBe('to-out\n');
      expect(err.toString()).toBe('to-err\n');
      const inspect = await client.exec.inspect(Id);
      expect(inspect).toMatchObject({ Running: false, ExitCode: code, ContainerID: id });
    }
  });

  test('exec with stdin: the input is half-closed so the command sees its end', async () => {
    const { client, container } = ctx();
    const id = await container('exec-stdin');
    await client.containers.start(id);
    const { Id } = await client.exec.create(id, {
      Cmd: ['sh', '-c', 'wc -c; cat /dev/null'],
      AttachStdin: true,
    });
    const session = await client.exec.start(Id, {
      stdin: Buffer.concat([BINARY, Buffer.alloc(100_000, 'z')]),
    });
    const [out] = await Promise.all([readAll(session.stdout), readAll(session.stderr)]);
    expect(out.toString().trim()).toBe(String(BINARY.length + 100_000));
    expect((await client.exec.inspect(Id)).ExitCode).toBe(0);
  });

  test('exec with a TTY gives one raw stream, resizable', async () => {
    const { client, container } = ctx();
    const id = await container('exec-tty');
    await client.containers.start(id);
    const { Id } = await client.exec.create(id, {
      Cmd: ['sh', '-c', 'sleep 0.3; stty size; echo err >&2'],
      Tty: true,
      AttachStdin: true,
    });
    const session = await client.exec.start(Id, { Tty: true, stdin: true });
    expect(session.tty).toBe(true);
    await client.exec.resize(Id, { h: 33, w: 77 });
    const [out, err] = await Promise.all([readAll(session.stdout), readAll(session.stderr)]);
    expect(out.toString()).toBe('33 77\r\nerr\r\n');
    expect(err.length).toBe(0);
    session.close();
  });

  test('exec detached runs in the background', async () => {
    const { client, container } = ctx();
    const id = await container('exec-detach');
    await client.containers.start(id);
    const { Id } = await client.exec.create(id, {
      Cmd: ['sh', '-c', 'exit 5'],
      AttachStdout: false,
      AttachStderr: false,
    });
    await client.exec.start(Id, { Detach: true });
    const { eventually } = await import('../../support/eventually.js');
    await eventually(async () =>
      expect(await client.exec.inspect(Id)).toMatchObject({ Running: false, ExitCode: 5 }),
    );
  });
});
