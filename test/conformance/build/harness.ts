import { request } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { type FixtureEntry, tarOf, tgzOf } from '../../fixtures/archives/build-tar.js';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import {
  type EmbeddedEngine,
  type EmbeddedEngineOptions,
  startEmbeddedEngine,
} from '../../support/embedded-engine.js';
import { jsonLines, send } from '../images/api-client.js';

/** What a `POST /build` answered. */
export interface BuildResult {
  status: number;
  /** The JSON messages of the stream (or the error body). */
  messages: Array<Record<string, unknown>>;
  /** The `stream` texts joined. */
  output: string;
  /** The `aux` ID, when the build succeeded. */
  id?: string;
  error?: string;
  errorDetail?: { code?: number; message: string };
}

/**
 * Starts a build engine before the suite's tests (handed to `set`) and, after them, checks it
 * left nothing behind and stops it.
 */
export function useBuildEngine(
  set: (engine: EmbeddedEngine) => void,
  options: EmbeddedEngineOptions = {},
): void {
  let started: EmbeddedEngine | undefined;
  beforeAll(async () => {
    started = await startBuildEngine(options);
    set(started);
  });
  afterAll(async () => {
    started?.assertNoLeaks();
    await started?.stop();
  });
}

/** An embedded engine with the busybox test image imported as `berth-test/busybox:latest`. */
export async function startBuildEngine(options: EmbeddedEngineOptions = {}): Promise<EmbeddedEngine> {
  const engine = await startEmbeddedEngine(options);
  const [repo, tag] = TEST_IMAGE.split(':');
  const changes = TEST_IMAGE_CHANGES.map((c) => `changes=${encodeURIComponent(c)}`).join('&');
  const res = await send(
    engine.socketPath,
    'POST',
    `/v1.41/images/create?fromSrc=-&repo=${repo}&tag=${tag}&${changes}`,
    {
      file: busyboxRootfsTar(),
    },
  );
  if (res.status !== 200) throw new Error(`import failed: ${res.text}`);
  return engine;
}

/** Files of a build context: path to content (a string), or a full tar entry. */
export type ContextFiles = Record<string, string | FixtureEntry>;

/** The context as a tar (gzip-compressed when asked, as docker-py may send it). */
export function contextTar(files: ContextFiles, gzip = false): Buffer {
  const entries = Object.entries(files).map(
    ([name, f]): FixtureEntry => (typeof f === 'string' ? { name, data: f } : { ...f, name }),
  );
  return gzip ? tgzOf(entries) : tarOf(entries);
}

/** Sends a build (to an embedded engine, or to a daemon's socket path) and parses the answer. */
export async function build(
  engine: EmbeddedEngine | string,
  files: ContextFiles,
  query: Record<string, string | string[]> = {},
  gzip = false,
  headers: Record<string, string> = {},
): Promise<BuildResult> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of [v].flat()) params.append(k, item);
  const socket = typeof engine === 'string' ? engine : engine.socketPath;
  const res = await send(socket, 'POST', `/v1.41/build?${params}`, contextTar(files, gzip), headers);
  const messages = res.status === 200 ? jsonLines(res.text) : [res.json<Record<string, unknown>>()];
  const result: BuildResult = {
    status: res.status,
    messages,
    output: messages.map((m) => (typeof m.stream === 'string' ? m.stream : '')).join(''),
  };
  for (const m of messages) {
    if (m.aux && typeof m.aux === 'object') result.id = (m.aux as { ID: string }).ID;
    if (typeof m.error === 'string') {
      result.error = m.error;
      result.errorDetail = m.errorDetail as BuildResult['errorDetail'];
    }
    if (res.status !== 200 && typeof m.message === 'string') result.error = m.message;
  }
  return result;
}

/** The lines of a build's output that start a step (`Step 2/5 : COPY a /a`). */
export const stepLines = (output: string) => output.split('\n').filter((l) => l.startsWith('Step '));

/** How many steps the cache answered. */
export const cacheHits = (output: string) =>
  output.split('\n').filter((l) => l === ' ---> Using cache').length;

/** Starts a build and returns a way to go away mid-build (the client disconnects). */
export function startBuild(
  engine: EmbeddedEngine,
  files: ContextFiles,
): { abort: () => void; output: () => string } {
  let text = '';
  const req = request(
    {
      socketPath: engine.socketPath,
      method: 'POST',
      path: '/v1.41/build',
      headers: { 'Content-Type': 'application/x-tar' },
    },
    (res) => res.on('data', (c: Buffer) => (text += c.toString('utf8'))).on('error', () => undefined),
  );
  req.on('error', () => undefined);
  req.end(contextTar(files));
  return { abort: () => req.destroy(), output: () => text };
}
