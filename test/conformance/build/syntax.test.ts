import { describe, expect, it, onTestFinished } from 'vitest';
import {
  DOCKER_SOCKET,
  dockerAvailable,
  dockerClient,
  ensureTestImage,
} from '../../support/docker-daemon.js';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { send } from '../images/api-client.js';
import { build, stepLines, useBuildEngine } from './harness.js';

// Dockerfile syntax as the classic builder reads it, built for real: the escape directive (a
// backtick), continuations with a comment inside, ARG before FROM given by --build-arg, meta
// ARGs visible in a stage only once declared there, FROM --platform, the substitution forms,
// JSON and shell forms.
const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  '# escape=`',
  'ARG BASE=wrong/image',
  'ARG TAG',
  `FROM --platform=linux/amd64 \${BASE}:\${TAG:-latest}`,
  'ENV BEFORE=x$BASE',
  'ARG BASE',
  'ENV DIR=/opt/app `',
  '    # a comment inside the continuation',
  '    EMPTY= `',
  '    SET=yes',
  `ENV D1=\${UNSET:-fallback} D2=\${SET:+alt} D3=\${EMPTY:+alt} D4="\${DIR}/sub" D5='$DIR' D6=\`$DIR D7=\${EMPTY:-dflt} D8=\${EMPTY-kept}`,
  'ENV FROM_BASE=$BASE WIN=C:\\path\\dir',
  'WORKDIR $DIR',
  'RUN ["/bin/sh", "-c", "echo exec form > exec.txt"]',
  'RUN echo "shell `',
  '  form" > shell.txt',
  'COPY ["a file.txt", "./"]',
  'RUN test "$(cat exec.txt)" = "exec form" && test "$(cat shell.txt)" = "shell   form" && test -f "a file.txt"',
  '',
].join('\n');

describe('embedded engine: Dockerfile syntax', () => {
  let engine: EmbeddedEngine;

  useBuildEngine((e) => {
    engine = e;
  });

  it('reads directives, continuations, ARGs and every substitution form as Docker does', async () => {
    const r = await build(
      engine,
      { Dockerfile: DOCKERFILE, 'a file.txt': 'spaced\n' },
      { buildargs: JSON.stringify({ BASE: 'berth-test/busybox' }) },
    );
    expect(r.error, r.output).toBeUndefined();
    expect(stepLines(r.output)).toContain(`Step 3/13 : FROM --platform=linux/amd64 \${BASE}:\${TAG:-latest}`);
    expect(stepLines(r.output)).toContain('Step 6/13 : ENV DIR=/opt/app     EMPTY=     SET=yes');
    const image = (await send(engine.socketPath, 'GET', `/v1.41/images/${r.id}/json`)).json<{
      Config: { Env: string[]; WorkingDir: string };
    }>();
    expect(image.Config.WorkingDir).toBe('/opt/app');
    expect(image.Config.Env).toEqual(
      expect.arrayContaining([
        'BEFORE=x',
        'DIR=/opt/app',
        'EMPTY=',
        'SET=yes',
        'D1=fallback',
        'D2=alt',
        'D3=',
        'D4=/opt/app/sub',
        'D5=$DIR',
        'D6=$DIR',
        'D7=dflt',
        'D8=',
        'FROM_BASE=berth-test/busybox',
        'WIN=C:\\path\\dir',
      ]),
    );
  });

  it.skipIf(!dockerAvailable())('gives the config dockerd’s classic builder gives', async () => {
    await ensureTestImage(dockerClient());
    const query = { buildargs: JSON.stringify({ BASE: 'berth-test/busybox' }) };
    // dockerd 20.10's lexer lacks the colon-less forms (`${VAR-word}`) newer Docker reads.
    const files = { Dockerfile: DOCKERFILE.replace(` D8=\${EMPTY-kept}`, ''), 'a file.txt': 'spaced\n' };
    const [ours, theirs] = [
      await build(engine, files, query),
      await build(DOCKER_SOCKET, files, { ...query, forcerm: '1' }),
    ];
    onTestFinished(async () => {
      if (theirs.id) await send(DOCKER_SOCKET, 'DELETE', `/v1.41/images/${theirs.id}`);
    });
    expect(theirs.error, theirs.output).toBeUndefined();
    expect(ours.error, ours.output).toBeUndefined();
    expect(stepLines(ours.output)).toEqual(stepLines(theirs.output));
    const config = async (socket: string, id: string) =>
      (await send(socket, 'GET', `/v1.41/images/${id}/json`)).json<{
        Config: { Env: string[]; WorkingDir: string };
      }>().Config;
    const [a, b] = [
      await config(engine.socketPath, ours.id as string),
      await config(DOCKER_SOCKET, theirs.id as string),
    ];
    expect(a.Env).toEqual(b.Env);
    expect(a.WorkingDir).toBe(b.WorkingDir);
  });

  it('build args reach the cache through what uses them: COPY --chown and its destination, not an unused arg', async () => {
    const files = {
      Dockerfile: [
        'FROM berth-test/busybox',
        'ARG OWNER=1',
        'ARG DIR=/a',
        'ARG UNUSED',
        'COPY --chown=$OWNER f.txt $DIR/',
        'RUN test "$(stat -c %u $DIR/f.txt)" = "$OWNER"',
        '',
      ].join('\n'),
      'f.txt': 'f\n',
    };
    const args = (a: Record<string, string>) => ({ buildargs: JSON.stringify(a) });
    const first = await build(engine, files, args({ OWNER: '1', DIR: '/a' }));
    expect(first.error, first.output).toBeUndefined();
    const unused = await build(engine, files, args({ OWNER: '1', DIR: '/a', UNUSED: 'x' }));
    expect(unused.error, unused.output).toBeUndefined();
    expect(stepLines(unused.output)).toHaveLength(6);
    // Every step but FROM and the RUN (which sees every arg in its environment, as in dockerd).
    expect(unused.output.split('\n').filter((l) => l === ' ---> Using cache')).toHaveLength(4);
    for (const changed of [
      { OWNER: '2', DIR: '/a' },
      { OWNER: '1', DIR: '/b' },
    ]) {
      const r = await build(engine, files, args(changed));
      expect(r.error, r.output).toBeUndefined();
      const lines = r.output.split('\n');
      expect(lines[lines.indexOf('Step 5/6 : COPY --chown=$OWNER f.txt $DIR/') + 1]).not.toBe(
        ' ---> Using cache',
      );
    }
  });

  it('COPY --from takes a local image by name or an earlier stage by index', async () => {
    const r = await build(engine, {
      Dockerfile: [
        'FROM berth-test/busybox',
        'RUN echo first > /first.txt',
        'FROM scratch',
        'COPY --from=berth-test/busybox /bin/busybox /bin/busybox',
        'COPY --from=0 /first.txt /from-stage.txt',
        'FROM berth-test/busybox',
        'COPY --from=1 / /copied/',
        'RUN test -x /copied/bin/busybox && test "$(cat /copied/from-stage.txt)" = first',
        '',
      ].join('\n'),
    });
    expect(r.error, r.output).toBeUndefined();
  });

  it('refuses BuildKit-only syntax and unknown instructions with the line', async () => {
    const mount = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nRUN --mount=type=cache,target=/x true\n',
    });
    expect(mount.error).toBe('dockerfile parse error line 2: Unknown flag: mount');
    const unknown = await build(engine, { Dockerfile: 'FROM berth-test/busybox\n\nFETCH x\n' });
    expect(unknown.error).toBe('dockerfile parse error line 3: unknown instruction: FETCH');
  });
});
