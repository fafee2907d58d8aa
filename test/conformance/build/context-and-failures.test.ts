/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile substitutions are the subject */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { eventually } from '../../support/eventually.js';
import { send } from '../images/api-client.js';
import { build, startBuild, stepLines, useBuildEngine } from './harness.js';

// What a build may not do and how it fails: .dockerignore, context escapes, a failing RUN,
// malformed Dockerfiles; build containers and mounts are gone afterwards in every case.
describe('embedded engine: build contexts and failures', () => {
  let engine: EmbeddedEngine;

  useBuildEngine((e) => {
    engine = e;
  });

  it('.dockerignore excludes what it should, `!` re-includes', async () => {
    const r = await build(engine, {
      Dockerfile: `FROM berth-test/busybox
COPY . /ctx/
RUN cd /ctx && test -f keep.txt && test -f logs/important.log && test ! -e app.log && test ! -e logs/debug.log && test ! -e tmp && test ! -e .dockerignore && test -f Dockerfile
`,
      '.dockerignore': '# ignore logs\n**/*.log\n!logs/important.log\ntmp/\n.dockerignore\n',
      'keep.txt': 'k',
      'app.log': 'x',
      'logs/debug.log': 'x',
      'logs/important.log': 'x',
      'tmp/junk': 'x',
    });
    expect(r.error, r.output).toBeUndefined();
  });

  it('refuses COPY ../x and symlinks pointing out of the context', async () => {
    const up = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nCOPY ../etc/passwd /x\n' });
    expect(up.error).toBe('COPY failed: forbidden path outside the build context: ../etc/passwd');
    const link = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nCOPY out /x\n',
      out: { name: 'out', type: 'symlink', linkname: '/etc/shadow' },
    });
    expect(link.error).toBe('COPY failed: forbidden path outside the build context: out');
    const relative = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nCOPY dir/up /x\n',
      'dir/up': { name: 'dir/up', type: 'symlink', linkname: '../../../etc/hostname' },
    });
    expect(relative.error).toBe('COPY failed: forbidden path outside the build context: dir/up');
    // A link that stays inside is followed.
    const inside = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nCOPY dir/ok /x\nRUN test "$(cat /x)" = real\n',
      'dir/ok': { name: 'dir/ok', type: 'symlink', linkname: '../real.txt' },
      'real.txt': 'real',
    });
    expect(inside.error, inside.output).toBeUndefined();
    const absent = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nCOPY nothere /x\n' });
    expect(absent.error).toBe(
      'COPY failed: file not found in build context or excluded by .dockerignore: stat nothere: file does not exist',
    );
    const noGlob = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nCOPY *.none /x/\n' });
    expect(noGlob.error).toBe('COPY failed: no source files were specified');
    const fromImage = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nCOPY --from=berth-test/busybox /nope /x\n',
    });
    expect(fromImage.error).toMatch(/^COPY failed: file not found .*stat nope: file does not exist$/);
  });

  it('refuses a context archive whose entries climb out, writing nothing outside', async () => {
    const r = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\n',
      '../../escaped.txt': { name: '../../escaped.txt', data: 'x' },
    });
    expect(r.status).toBe(400);
    expect(r.error).toMatch(/escaped\.txt/);
    expect(existsSync(join(engine.dataRoot, 'build', 'escaped.txt'))).toBe(false);
    expect(existsSync(join(engine.dataRoot, 'escaped.txt'))).toBe(false);
    expect(readdirSync(join(engine.dataRoot, 'build', 'tmp'))).toEqual([]);
  });

  it('a failing RUN names its step and exit code', async () => {
    const r = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nENV A=1\nRUN echo before && exit 7\nCMD ["sh"]\n',
    });
    expect(r.errorDetail).toEqual({
      code: 7,
      message: "The command '/bin/sh -c echo before && exit 7' returned a non-zero code: 7",
    });
    expect(r.error).toBe(r.errorDetail?.message);
    expect(stepLines(r.output).at(-1)).toBe('Step 3/4 : RUN echo before && exit 7');
    expect(r.output).toContain('before\n');
    expect(r.id).toBeUndefined();
    const list = await send(engine.socketPath, 'GET', '/v1.41/containers/json?all=1');
    expect(list.json()).toEqual([]);
  });

  /** All containers of the engine. */
  const containers = async () =>
    (await send(engine.socketPath, 'GET', '/v1.41/containers/json?all=1')).json<unknown[]>();
  /** A build whose RUN has printed and now sleeps. */
  const sleepingRun = async () => {
    const pending = startBuild(engine, {
      Dockerfile: 'FROM berth-test/busybox\nRUN echo started && sleep 60\n',
    });
    await eventually(() => pending.output().includes('{"stream":"started\\n"}'), {
      what: 'the RUN to start',
    });
    return pending;
  };

  it('a client that goes away mid-RUN leaves no build container or mount behind', async () => {
    const pending = await sleepingRun();
    expect(await containers()).toHaveLength(1);
    pending.abort();
    await eventually(async () => (await containers()).length === 0, { what: 'the build container to go' });
    engine.assertNoLeaks();
  });

  it('an engine killed mid-RUN removes the build container when it starts again', async () => {
    const pending = await sleepingRun();
    await engine.kill9();
    pending.abort();
    await engine.restart();
    expect(await containers()).toEqual([]);
    engine.assertNoLeaks();
  });

  it('answers bad input with one clear message', async () => {
    const unknown = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nFROB x\n' });
    expect(unknown.status).toBe(400);
    expect(unknown.error).toBe('dockerfile parse error line 2: unknown instruction: FROB');
    const missing = await build(engine, { 'other.txt': 'x' });
    expect(missing.status).toBe(400);
    expect(missing.error).toBe('Cannot locate specified Dockerfile: Dockerfile');
    const badTag = await build(engine, { Dockerfile: 'FROM berth-test/busybox\n' }, { t: 'Bad:Tag' });
    expect(badTag.error).toMatch(/invalid reference format/);
    // A base the store lacks is pulled: here from a registry nothing answers on.
    const noImage = await build(engine, { Dockerfile: `FROM 127.0.0.1:1/${engine.prefix}/absent:1\n` });
    expect(noImage.error).toMatch(/^cannot reach registry 127\.0\.0\.1:1: .*ECONNREFUSED/);
    const url = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nADD http://127.0.0.1:1/x /x\n' });
    expect(url.error).toMatch(/^ADD http:\/\/127.0.0.1:1\/x: cannot download: .*ECONNREFUSED/);
    const blank = await build(engine, { Dockerfile: 'ARG BASE\nFROM ${BASE}\n' });
    expect(blank.error).toBe('base name (${BASE}) should not be blank');
    const empty = await build(engine, { Dockerfile: 'FROM scratch\n' });
    expect(empty.error).toBe('No image was generated. Is your Dockerfile empty?');
    const buildkit = await build(engine, { Dockerfile: 'FROM scratch\n' }, { version: '2' });
    expect(buildkit.status).toBe(400);
    const target = await build(engine, { Dockerfile: 'FROM berth-test/busybox AS a\n' }, { target: 'b' });
    expect(target.error).toBe('failed to reach build target b in Dockerfile');
  });

  it('reads -f from inside the context and a gzip-compressed context', async () => {
    const r = await build(
      engine,
      {
        'sub/Build.file': 'FROM berth-test/busybox\nCOPY data /data\nRUN test "$(cat /data)" = gz\n',
        data: 'gz',
      },
      { dockerfile: 'sub/Build.file', t: `${engine.prefix}/gz` },
      true,
    );
    expect(r.error, r.output).toBeUndefined();
    expect(r.output).toContain(`Successfully tagged ${engine.prefix}/gz:latest\n`);
  });

  it('quiet mode writes only the image ID', async () => {
    const r = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nLABEL q=1\n' }, { q: '1' });
    expect(r.messages.filter((m) => typeof m.stream === 'string').map((m) => m.stream)).toEqual([
      `${r.id}\n`,
    ]);
  });
});
