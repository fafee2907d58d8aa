import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgzOf } from '../../fixtures/archives/build-tar.js';
import { dockerOn } from '../../support/docker-cli.js';
import {
  DOCKER_SOCKET,
  dockerAvailable,
  dockerClient,
  ensureTestImage,
} from '../../support/docker-daemon.js';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { send } from '../images/api-client.js';
import {
  type BuildResult,
  build,
  type ContextFiles,
  cacheHits,
  startBuildEngine,
  stepLines,
} from './harness.js';

const CONTEXT: ContextFiles = {
  Dockerfile: `ARG BASE=berth-test/busybox:latest
FROM \${BASE} AS base
ARG WHO=world
ENV GREETING="hello $WHO" EMPTY=
WORKDIR /app
COPY a.txt dir ./
COPY --chown=1:2 a.txt /single
RUN echo "$GREETING" > out.txt && rm /bin/vi
FROM base
LABEL a=b
ADD vendor.tgz /vendor/
COPY --from=base --chown=2:3 /app/out.txt /copied.txt
EXPOSE 80 53/udp
VOLUME ["/data"]
SHELL ["/bin/sh", "-ec"]
RUN test "$(cat /vendor/lib/v.txt)" = vendored
USER 1000:1000
STOPSIGNAL SIGINT
HEALTHCHECK --interval=30s --retries=2 CMD test -f /app/out.txt
ONBUILD RUN echo trigger
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/out.txt"]
`,
  'a.txt': 'a\n',
  'dir/b.txt': 'b\n',
  'vendor.tgz': { name: 'vendor.tgz', data: tgzOf([{ name: 'lib/v.txt', data: 'vendored\n' }]) },
};

interface History {
  CreatedBy: string;
  Size: number;
}

/** Content digests differ between the builders (Docker hashes tar headers): only their kind is compared. */
const normalize = (h: History[]) =>
  h.map((e) => ({
    by: e.CreatedBy.replace(/(file|dir|multi):[0-9a-f]{64}/, '$1:<digest>'),
    empty: e.Size === 0,
  }));

/** The messages of a build stream with image and container IDs replaced (they differ per engine). */
const streamShape = (messages: Array<Record<string, unknown>>) =>
  messages.map((m) =>
    JSON.parse(
      JSON.stringify(m)
        .replace(/sha256:[0-9a-f]{64}/g, '<digest>')
        .replace(/\b[0-9a-f]{12}\b/g, '<id>'),
    ),
  );

// dockerd's classic builder is the oracle: the same context built by both gives the same steps,
// the same history (created_by, which steps add bytes), the same config and layer count.
describe.skipIf(!dockerAvailable())('builds match dockerd’s classic builder', () => {
  let engine: EmbeddedEngine;
  let tag: string;
  let ours: BuildResult;
  let theirs: BuildResult;
  const inspect = async (socket: string, ref: string) => ({
    image: (await send(socket, 'GET', `/v1.41/images/${ref}/json`)).json<{
      Config: unknown;
      RootFS: { Layers: string[] };
    }>(),
    history: (await send(socket, 'GET', `/v1.41/images/${ref}/history`)).json<History[]>(),
  });

  beforeAll(async () => {
    engine = await startBuildEngine();
    await ensureTestImage(dockerClient());
    tag = `${engine.prefix}/parity:1`;
    // nocache: dockerd may hold steps of an earlier run in its cache; the first builds make every step.
    const query = { t: tag, nocache: '1', buildargs: JSON.stringify({ WHO: 'parity' }) };
    ours = await build(engine, CONTEXT, query);
    theirs = await build(DOCKER_SOCKET, CONTEXT, query);
  });
  /** Untagged images a test built on dockerd, removed at the end whatever happened. */
  const dockerdImages: string[] = [];
  afterAll(async () => {
    for (const id of dockerdImages.reverse()) await send(DOCKER_SOCKET, 'DELETE', `/v1.41/images/${id}`);
    await send(DOCKER_SOCKET, 'DELETE', `/v1.41/images/${tag}?force=1`);
    await engine?.stop();
  });

  it('both builds succeed with the same steps', () => {
    expect(theirs.error, theirs.output).toBeUndefined();
    expect(ours.error, ours.output).toBeUndefined();
    expect(stepLines(ours.output)).toEqual(stepLines(theirs.output));
    expect(ours.output).toMatch(/Successfully built [0-9a-f]{12}\nSuccessfully tagged .*\n$/);
  });

  it('the whole stream matches, message by message, IDs aside', () => {
    expect(streamShape(ours.messages)).toEqual(streamShape(theirs.messages));
    // One aux ID per stage, the final image's last.
    const aux = ours.messages.filter((m) => m.aux);
    expect(aux).toHaveLength(2);
    expect(aux.at(-1)).toEqual({ aux: { ID: ours.id } });
  });

  it('history, config and layers match', async () => {
    const a = await inspect(engine.socketPath, tag);
    const b = await inspect(DOCKER_SOCKET, tag);
    expect(normalize(a.history)).toEqual(normalize(b.history));
    // `Image` names the parent step's image: an ID local to each engine.
    const config = (c: unknown) => ({
      ...(c as Record<string, unknown>),
      Image: expect.stringMatching(/^sha256:/),
    });
    expect(a.image.Config).toEqual(config(b.image.Config));
    expect(a.image.RootFS.Layers.length).toBe(b.image.RootFS.Layers.length);
  });

  it('a rebuild takes the same steps from the cache, in the same stream', async () => {
    const query = { buildargs: JSON.stringify({ WHO: 'parity' }) };
    const [a, b] = [await build(engine, CONTEXT, query), await build(DOCKER_SOCKET, CONTEXT, query)];
    expect(cacheHits(a.output)).toBe(cacheHits(b.output));
    expect(cacheHits(a.output)).toBeGreaterThan(0);
    expect(streamShape(a.messages)).toEqual(streamShape(b.messages));
  });

  it('a changed build arg takes from the cache exactly the steps dockerd takes', async () => {
    const query = { buildargs: JSON.stringify({ WHO: 'someone else' }), forcerm: '1' };
    const [a, b] = [await build(engine, CONTEXT, query), await build(DOCKER_SOCKET, CONTEXT, query)];
    if (b.id) dockerdImages.push(b.id);
    expect(b.error, b.output).toBeUndefined();
    expect(a.error, a.output).toBeUndefined();
    expect(streamShape(a.messages)).toEqual(streamShape(b.messages));
  });

  it('.dockerignore keeps and drops what the docker CLI does (Docker applies it client-side)', async () => {
    const files: Record<string, string> = {
      Dockerfile: 'FROM berth-test/busybox:latest\nCOPY . /ctx/\nRUN cd /ctx && find . | sort\n',
      '.dockerignore': [
        '# comments and blank lines are skipped',
        '',
        '**/*.log',
        '!logs/keep.log',
        'build/',
        'docs/*.md',
        '!docs/README.md',
        'secret?.txt',
        '/rooted.txt',
        'deep/**/cache',
        '.dockerignore',
      ].join('\n'),
      'a.txt': 'a',
      'app.log': 'x',
      'logs/keep.log': 'x',
      'logs/drop.log': 'x',
      'build/out.bin': 'x',
      'docs/guide.md': 'x',
      'docs/README.md': 'x',
      'docs/sub/nested.md': 'x',
      'secret1.txt': 'x',
      'secret12.txt': 'x',
      'rooted.txt': 'x',
      'sub/rooted.txt': 'x',
      'deep/a/b/cache/x': 'x',
      'deep/cache/y': 'x',
    };
    const dir = mkdtempSync(join(tmpdir(), 'berth-ignore-'));
    const image = `${engine.prefix}/ignore:1`;
    try {
      for (const [name, data] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), data);
      }
      // The oracle: Docker's own pattern rules, as the docker CLI applies them to the context it sends.
      const docker = dockerOn(() => `unix://${DOCKER_SOCKET}`);
      const theirs = await docker(['build', '--no-cache', '--force-rm', '-t', image, dir]);
      // The engine applies them itself to a raw API context (docker-py and others send it whole).
      const ours = await build(engine, files, { nocache: '1' });
      expect(ours.error, ours.output).toBeUndefined();
      const listing = (out: string) => out.split('\n').filter((l) => l === '.' || l.startsWith('./'));
      expect(listing(ours.output)).toEqual(listing(theirs));
      expect(listing(ours.output)).toContain('./logs/keep.log');
      expect(listing(ours.output)).not.toContain('./app.log');
    } finally {
      await send(DOCKER_SOCKET, 'DELETE', `/v1.41/images/${image}`);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a child runs the ONBUILD trigger and --label adds a step, in the same stream', async () => {
    const child = { Dockerfile: `FROM ${tag}\nUSER root\n` };
    const query = {
      nocache: '1',
      forcerm: '1',
      labels: JSON.stringify({ 'org.example.by': 'parity', 'two words': 'a b' }),
    };
    const [a, b] = [await build(engine, child, query), await build(DOCKER_SOCKET, child, query)];
    if (b.id) dockerdImages.push(b.id);
    expect(b.error, b.output).toBeUndefined();
    expect(a.error, a.output).toBeUndefined();
    expect(streamShape(a.messages)).toEqual(streamShape(b.messages));
    expect(a.output).toContain('# Executing 1 build trigger\n');
  });

  it('a failing RUN fails with the same message and code', async () => {
    const failing = { Dockerfile: 'FROM berth-test/busybox:latest\nRUN echo out && exit 3\n' };
    // forcerm: dockerd keeps a failed step's container otherwise (berth always removes it).
    const [a, b] = [
      await build(engine, failing, { forcerm: '1' }),
      await build(DOCKER_SOCKET, failing, { forcerm: '1' }),
    ];
    expect(a.errorDetail).toEqual(b.errorDetail);
    expect(a.error).toBe(b.error);
    expect(stepLines(a.output)).toEqual(stepLines(b.output));
    expect(streamShape(a.messages)).toEqual(streamShape(b.messages));
  });
});
