import { describe, expect, it } from 'vitest';
import { tgzOf } from '../../fixtures/archives/build-tar.js';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { send } from '../images/api-client.js';
import { build, type ContextFiles, cacheHits, stepLines, useBuildEngine } from './harness.js';

// A multi-stage Dockerfile with every instruction, built by the real embedded engine (RUN in
// real build containers through the OCI runtime); then the cache: a rebuild with nothing
// changed reuses every step, a changed file rebuilds from its COPY on, --no-cache none.
const DOCKERFILE = `# syntax=docker/dockerfile:1
# escape=\\
ARG BASE=berth-test/busybox:latest
FROM \${BASE} AS builder
ARG GREETING=hello
ENV APP=/app \\
    MODE="two words"
WORKDIR $APP
COPY src/ ./src/
COPY *.txt ./
ADD vendor.tgz /vendor/
RUN echo "$GREETING from $MODE" > built.txt && rm /bin/vi
FROM scratch AS data
COPY --from=builder /app/built.txt /built.txt
FROM \${BASE}
MAINTAINER berth
LABEL org.example.role=final "second label"=yes
COPY --from=data --chown=1000:1000 --chmod=640 /built.txt /srv/built.txt
COPY --from=builder /vendor /vendor
USER 1000
EXPOSE 8080 53/udp
VOLUME /cache
STOPSIGNAL SIGINT
HEALTHCHECK --interval=30s --retries=2 CMD test -f /srv/built.txt
SHELL ["/bin/sh", "-ec"]
ONBUILD RUN echo running the trigger
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /srv/built.txt"]
`;

const context = (note: string): ContextFiles => ({
  Dockerfile: DOCKERFILE,
  'src/main.sh': 'echo main\n',
  'a.txt': 'a\n',
  'note.txt': note,
  'vendor.tgz': { name: 'vendor.tgz', data: tgzOf([{ name: 'lib/v.txt', data: 'vendored\n' }]) },
});

interface Inspect {
  Id: string;
  Author: string;
  Config: Record<string, unknown>;
  RootFS: { Layers: string[] };
}

describe('embedded engine: multi-stage builds and the cache', () => {
  let engine: EmbeddedEngine;
  let first: string;
  const inspect = async (ref: string) =>
    (await send(engine.socketPath, 'GET', `/v1.41/images/${ref}/json`)).json<Inspect>();

  useBuildEngine((e) => {
    engine = e;
  });

  it('builds every instruction into the final image', async () => {
    const tag = `${engine.prefix}/all:1`;
    const r = await build(engine, context('v1\n'), { t: tag, buildargs: JSON.stringify({ GREETING: 'hi' }) });
    expect(r.error, r.output).toBeUndefined();
    expect(stepLines(r.output)).toHaveLength(25);
    expect(stepLines(r.output)[3]).toBe('Step 4/25 : ENV APP=/app     MODE="two words"');
    expect(r.output).toContain(' ---> Running in ');
    expect(r.output).toMatch(/Successfully built [0-9a-f]{12}\n/);
    expect(r.output).toContain(`Successfully tagged ${tag}\n`);
    first = r.id as string;
    const image = await inspect(tag);
    expect(image.Id).toBe(first);
    expect(image.Author).toBe('berth');
    expect(image.Config).toMatchObject({
      User: '1000',
      Labels: { 'org.example.role': 'final', 'second label': 'yes' },
      ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
      Volumes: { '/cache': {} },
      StopSignal: 'SIGINT',
      Healthcheck: { Test: ['CMD-SHELL', 'test -f /srv/built.txt'], Interval: 30e9, Retries: 2 },
      Shell: ['/bin/sh', '-ec'],
      OnBuild: ['RUN echo running the trigger'],
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['cat /srv/built.txt'],
    });
    // busybox's layer + the two COPY layers; metadata steps add none.
    expect(image.RootFS.Layers).toHaveLength(3);
    const history = (await send(engine.socketPath, 'GET', `/v1.41/images/${first}/history`)).json<
      Array<{ CreatedBy: string; Size: number }>
    >();
    expect(history[0]?.CreatedBy).toBe('/bin/sh -ec #(nop)  CMD ["cat /srv/built.txt"]');
    expect(
      history.some((h) =>
        /^\/bin\/sh -c #\(nop\) COPY --chown=1000:1000file:[0-9a-f]{64} in \/srv\/built.txt $/.test(
          h.CreatedBy,
        ),
      ),
    ).toBe(true);
  });

  it('puts files, owners, modes, unpacked archives and whiteouts in the layers', async () => {
    const check = await build(engine, {
      Dockerfile: `FROM ${first}
RUN test "$(cat /srv/built.txt)" = "hi from two words" && test "$(stat -c %u:%g:%a /srv/built.txt)" = 1000:1000:640 && test "$(cat /vendor/lib/v.txt)" = vendored
`,
    });
    expect(check.error, check.output).toBeUndefined();
    expect(check.output).toContain('# Executing 1 build trigger\n');
    expect(check.output).toContain('running the trigger\n');
    const builder = await build(engine, context('v1\n'), {
      target: 'builder',
      buildargs: JSON.stringify({ GREETING: 'hi' }),
    });
    expect(builder.error, builder.output).toBeUndefined();
    expect(stepLines(builder.output)).toHaveLength(9);
    const whiteout = await build(engine, {
      Dockerfile: `FROM ${builder.id}\nRUN test ! -e /bin/vi && test -f /app/src/main.sh && test -f /app/a.txt && test -f /app/note.txt\n`,
    });
    expect(whiteout.error, whiteout.output).toBeUndefined();
  });

  it('a rebuild with nothing changed takes every step from the cache', async () => {
    const r = await build(engine, context('v1\n'), { buildargs: JSON.stringify({ GREETING: 'hi' }) });
    expect(r.id).toBe(first);
    expect(r.output).not.toContain('Running in');
    // Every step but the FROMs and the meta ARG.
    expect(cacheHits(r.output)).toBe(25 - 4);
  });

  it('a changed copied file rebuilds from its COPY on', async () => {
    const r = await build(engine, context('v2\n'), { buildargs: JSON.stringify({ GREETING: 'hi' }) });
    expect(r.error, r.output).toBeUndefined();
    expect(r.id).not.toBe(first);
    const lines = r.output.split('\n');
    const copyAt = lines.indexOf('Step 7/25 : COPY *.txt ./');
    expect(cacheHits(lines.slice(0, copyAt).join('\n'))).toBe(4);
    expect(lines[copyAt + 1]).not.toBe(' ---> Using cache');
    expect(r.output).toContain('Running in');
  });

  it('a changed build arg invalidates the steps that see it; --no-cache reuses nothing', async () => {
    const other = await build(engine, context('v1\n'), { buildargs: JSON.stringify({ GREETING: 'hey' }) });
    expect(other.error, other.output).toBeUndefined();
    expect(other.id).not.toBe(first);
    // As dockerd: the ARG step and those not using it come from the cache; the RUN that sees it does not.
    const lines = other.output.split('\n');
    const stepAfter = (step: string) => lines[lines.indexOf(step) + 1];
    expect(stepAfter('Step 3/25 : ARG GREETING=hello')).toBe(' ---> Using cache');
    expect(stepAfter('Step 7/25 : COPY *.txt ./')).toBe(' ---> Using cache');
    expect(stepAfter('Step 9/25 : RUN echo "$GREETING from $MODE" > built.txt && rm /bin/vi')).not.toBe(
      ' ---> Using cache',
    );
    const none = await build(engine, context('v1\n'), {
      nocache: '1',
      buildargs: JSON.stringify({ GREETING: 'hi' }),
    });
    expect(none.error, none.output).toBeUndefined();
    expect(cacheHits(none.output)).toBe(0);
  });

  it('leaves no build container behind', async () => {
    const list = await send(engine.socketPath, 'GET', '/v1.41/containers/json?all=1');
    expect(list.json()).toEqual([]);
  });
});
