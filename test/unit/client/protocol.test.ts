import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../src/client/engine-client.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../../../src/client/version.js';
import { eventually } from '../../support/eventually.js';

/**
 * Protocol tests: a tiny HTTP server on 127.0.0.1 plays an engine that answers `/_ping` with a
 * chosen API version and handles (or holds) everything else as each test says. It checks what
 * the client puts on the wire; the real engines are exercised by test/conformance/engine-api.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface FakeEngine {
  host: string;
  /** `METHOD path` of every request, in arrival order (upgrades included). */
  requests: string[];
  /** For each request, the number of the TCP connection it came on (1 for the first accepted). */
  connectionOf: number[];
}

const opened: Array<{ server: http.Server; sockets: Set<Socket>; clients: EngineClient[] }> = [];

async function fakeEngine(apiVersion: string | undefined, handle: Handler = () => {}): Promise<FakeEngine> {
  const sockets = new Set<Socket>();
  const state: FakeEngine = { host: '', requests: [], connectionOf: [] };
  const numbers = new WeakMap<Socket, number>();
  let accepted = 0;
  const server = http.createServer((req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    state.connectionOf.push(numbers.get(req.socket) ?? 0);
    if (req.url === '/_ping') {
      // Docker's HEAD answer carries `Content-Length: 0`, which lets the connection be reused.
      res.writeHead(200, {
        'Content-Length': req.method === 'HEAD' ? 0 : 2,
        ...(apiVersion ? { 'Api-Version': apiVersion } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : 'OK');
      return;
    }
    if (req.url === '/version') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ApiVersion: apiVersion ?? '1.42', Version: 'fake' }));
      return;
    }
    handle(req, res);
  });
  // Attach and exec start ask for `Upgrade: tcp`: record them and hold the connection.
  server.on('upgrade', (req: IncomingMessage) => state.requests.push(`${req.method} ${req.url}`));
  server.on('connection', (socket: Socket) => {
    numbers.set(socket, ++accepted);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.host = `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
  opened.push({ server, sockets, clients: [] });
  return state;
}

/** A client for the fake engine, closed after the test. */
function clientOf(engine: FakeEngine, opts: ConstructorParameters<typeof EngineClient>[0] = {}) {
  const client = new EngineClient({ host: engine.host, env: {}, ...opts });
  opened.at(-1)!.clients.push(client);
  return client;
}

async function failure(
  p: Promise<unknown>,
): Promise<{ kind: string; message: string; context: { endpoint?: string } }> {
  try {
    await p;
  } catch (err) {
    return err as { kind: string; message: string; context: { endpoint?: string } };
  }
  throw new Error('expected the call to fail');
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

afterEach(async () => {
  for (const { server, sockets, clients } of opened.splice(0)) {
    for (const c of clients) c.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('API version negotiation on the wire', () => {
  it('refuses an engine older than berth needs, naming both versions, before sending the call', async () => {
    const engine = await fakeEngine('1.24');
    const err = await failure(clientOf(engine).containers.list());
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe(
      `the engine at ${engine.host} speaks Engine API 1.24, older than ${MIN_API_VERSION} which berth needs; upgrade the engine`,
    );
    expect(err.context.endpoint).toBe('GET /containers/json');
    expect(engine.requests).toEqual(['HEAD /_ping']);
  });

  it('sends every call to /v<negotiated>/ after one HEAD /_ping', async () => {
    const engine = await fakeEngine('1.41', (_req, res) => json(res, []));
    const client = clientOf(engine);
    await client.containers.list({ all: true });
    await client.networks.list();
    expect(engine.requests).toEqual([
      'HEAD /_ping',
      'GET /v1.41/containers/json?all=1',
      'GET /v1.41/networks',
    ]);
  });

  it('addresses a newer engine at the newest version berth speaks', async () => {
    const engine = await fakeEngine('1.47', (_req, res) => json(res, []));
    await clientOf(engine).images.list();
    expect(engine.requests.at(-1)).toBe(`GET /v${MAX_API_VERSION}/images/json`);
  });

  it('falls back to GET /version when /_ping carries no Api-Version', async () => {
    const engine = await fakeEngine(undefined, (_req, res) => json(res, []));
    await clientOf(engine).volumes.list();
    expect(engine.requests).toEqual(['HEAD /_ping', 'GET /_ping', 'GET /version', 'GET /v1.42/volumes']);
  });
});

describe('connections', () => {
  it('the negotiation and short calls reuse one keep-alive connection', async () => {
    const engine = await fakeEngine('1.43', (_req, res) => json(res, { Id: 'c1' }));
    const client = clientOf(engine);
    for (let i = 0; i < 20; i++) await client.containers.inspect('c1');
    const inspects = engine.requests.flatMap((r, i) =>
      r === 'GET /v1.43/containers/c1/json' ? [engine.connectionOf[i]] : [],
    );
    expect(inspects).toHaveLength(20);
    // The negotiation and all twenty calls went over the first connection.
    expect(new Set(engine.connectionOf)).toEqual(new Set([1]));
  });
});

describe('timeouts per call kind', () => {
  const tight = { metadata: 200, mutation: 200 };

  it('a metadata call the engine never answers times out', async () => {
    const engine = await fakeEngine('1.43');
    const err = await failure(clientOf(engine, { timeouts: tight }).containers.inspect('c1'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('the engine did not answer within 200 ms');
    expect(err.context.endpoint).toBe('GET /containers/c1/json');
  });

  it('a wait and a logs --follow have no timeout: they last as long as the container', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const engine = await fakeEngine('1.43', (req, res) => {
      // Like Docker: headers at once, the body when the container exits.
      if (req.url?.includes('/wait')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        released.then(() => res.end('{"StatusCode":3}'));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
        res.flushHeaders();
        const frame = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('bye')]);
        released.then(() => res.end(frame));
      }
    });
    const client = clientOf(engine, { timeouts: tight });
    const waiting = client.containers.wait('c1');
    const logs = await client.containers.logs('c1', { follow: true, tty: false });
    logs.stderr.resume();
    const text = (async () => {
      let out = '';
      for await (const chunk of logs.stdout) out += String(chunk);
      return out;
    })();
    // Release only once both calls have been open for several times the metadata timeout.
    await new Promise((resolve) => setTimeout(resolve, 5 * tight.metadata));
    release();
    expect(await waiting).toEqual({ StatusCode: 3 });
    expect(await text).toBe('bye');
  });
});

describe('AbortSignal', () => {
  it('cancels every kind of call while the engine is still working on it', async () => {
    const engine = await fakeEngine('1.43');
    const client = clientOf(engine);
    const calls: Record<string, (signal: AbortSignal) => Promise<unknown>> = {
      inspect: (signal) => client.containers.inspect('c1', { signal }),
      create: (signal) => client.containers.create({ Image: 'x' }, { signal }),
      stop: (signal) => client.containers.stop('c1', { signal }),
      wait: (signal) => client.containers.wait('c1', { signal }),
      logs: (signal) => client.containers.logs('c1', { follow: true, tty: false, signal }),
      attach: (signal) => client.containers.attach('c1', { tty: false, signal }),
      execStart: (signal) => client.exec.start('e1', { signal }),
      events: (signal) => client.system.events({ signal }).next(),
      pull: (signal) => client.images.pull('127.0.0.1:1/x:v1', { auth: {}, signal }).next(),
      networkCreate: (signal) => client.networks.create({ Name: 'n' }, { signal }),
      volumePrune: (signal) => client.volumes.prune(undefined, { signal }),
    };
    for (const [name, call] of Object.entries(calls)) {
      const abort = new AbortController();
      const before = engine.requests.length;
      const pending = failure(call(abort.signal));
      await eventually(() => expect(engine.requests.length).toBeGreaterThan(before), { what: name });
      abort.abort();
      expect({ name, kind: (await pending).kind }).toEqual({ name, kind: 'cancelled' });
    }
  });
});
