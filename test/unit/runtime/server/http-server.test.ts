import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../../../runtime/api/route.js';
import { conflict, notModified } from '../../../../runtime/errors.js';
import { type ApiServer, createApiServer } from '../../../../runtime/server/http-server.js';
import { rawClient } from '../../../support/embedded-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-server-test-'));
const socketPath = join(dir, 'api.sock');
const client = rawClient(socketPath);
let aborted = 0;
let release: (() => void) | undefined;

const routes: Route[] = [
  { method: 'POST', path: '/echo', handler: async (req, res) => res.json(201, await req.json()) },
  {
    method: 'GET',
    path: '/things/{id}',
    handler: (req, res) => res.json(200, { id: req.params.id, v: req.version }),
  },
  { method: 'GET', path: '/filters', handler: (req, res) => res.json(200, req.filters()) },
  { method: 'POST', path: '/conflict', handler: () => Promise.reject(conflict('name in use')) },
  { method: 'POST', path: '/same', handler: () => Promise.reject(notModified()) },
  { method: 'GET', path: '/bug', handler: () => Promise.reject(new Error('boom')) },
  {
    method: 'POST',
    path: '/wait',
    handler: async (req, res) => {
      const out = res.stream(200, 'application/json');
      await new Promise<void>((resolve) => {
        release = resolve;
        req.signal.addEventListener('abort', () => {
          aborted++;
          resolve();
        });
      });
      out.end('{"StatusCode":0}\n');
    },
  },
  {
    method: 'POST',
    path: '/attach',
    handler: async (req, res) => {
      const opts = await req.json<{ greeting?: string }>();
      const conn = res.hijack('application/vnd.docker.raw-stream');
      conn.write(`${opts.greeting ?? 'hi'}:`);
      conn.on('data', (d: Buffer) => conn.write(d.toString().toUpperCase()));
      conn.on('end', () => conn.end());
    },
  },
];

let server: ApiServer;
beforeAll(async () => {
  server = createApiServer(routes);
  await server.listen(socketPath);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a request asking to upgrade, and collects the raw bytes until the server closes. */
function upgradeExchange(body: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    let text = '';
    sock.on('data', (d) => {
      text += d.toString();
      if (text.includes('\r\n\r\n') && text.endsWith(':')) sock.end(input);
    });
    sock.on('end', () => resolve(text));
    sock.on('error', reject);
    sock.write(
      `POST /v1.41/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });
}

describe('API server over a unix socket', () => {
  it('creates the socket 0660', () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o660);
  });

  it('routes versioned and unversioned paths with params and common headers', async () => {
    const a = await client.request('GET', '/v1.30/things/x%2Fy');
    expect(a.body).toEqual({ id: 'x/y', v: '1.30' });
    expect(a.headers['api-version']).toBe('1.41');
    expect(a.headers.ostype).toBe('linux');
    expect(String(a.headers.server)).toMatch(/^Docker\/.+ \(linux\)$/);
    const b = await client.request('GET', '/things/7');
    expect(b.body).toEqual({ id: '7', v: '1.41' });
    expect((await client.request('GET', '//v1.40//things/8?x=1')).body).toEqual({ id: '8', v: '1.40' });
  });

  it('answers unknown routes 404 page not found, with JSON', async () => {
    const r = await client.request('GET', '/v1.41/nothing/here');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ message: 'page not found' });
  });

  it('answers a too-new version 400', async () => {
    const r = await client.request('GET', '/v1.99/things/1');
    expect(r.status).toBe(400);
    expect((r.body as { message: string }).message).toMatch(/too new/);
  });

  it('parses JSON bodies and refuses malformed ones naming the endpoint', async () => {
    expect((await client.request('POST', '/echo', { a: 1 })).body).toEqual({ a: 1 });
    const bad = await new Promise<{ status: number; text: string }>((resolve) => {
      const req = request({ socketPath, method: 'POST', path: '/v1.41/echo' }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.end('{"a":');
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).message).toMatch(/^POST \/echo: malformed JSON body/);
  });

  it('reads filters in both encodings', async () => {
    const go = encodeURIComponent('{"label":{"a=b":true}}');
    const py = encodeURIComponent('{"label":["a=b"]}');
    expect((await client.request('GET', `/filters?filters=${go}`)).body).toEqual({ label: ['a=b'] });
    expect((await client.request('GET', `/filters?filters=${py}`)).body).toEqual({ label: ['a=b'] });
    expect((await client.request('GET', '/filters?filters=%7Bx')).status).toBe(400);
  });

  it('maps EngineErrors to statuses: 409 with a message, 304 empty, bugs 500', async () => {
    expect(await client.request('POST', '/conflict')).toMatchObject({
      status: 409,
      body: { message: 'name in use' },
    });
    expect(await client.request('POST', '/same')).toMatchObject({ status: 304, text: '' });
    const bug = await client.request('GET', '/bug');
    expect(bug.status).toBe(500);
    expect((bug.body as { message: string }).message).toContain('boom');
  });

  it('flushes stream headers at once, before the body exists', async () => {
    const status = await new Promise<number>((resolve) => {
      const req = request({ socketPath, method: 'POST', path: '/wait' }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.end();
    });
    expect(status).toBe(200);
    release?.();
  });

  it('aborts the handler signal when the client goes away', async () => {
    const before = aborted;
    await new Promise<void>((resolve) => {
      const req = request({ socketPath, method: 'POST', path: '/wait' }, () => {
        req.destroy();
        resolve();
      });
      req.on('error', () => {});
      req.end();
    });
    await expect.poll(() => aborted, { timeout: 5000 }).toBe(before + 1);
  });

  it('hijacks upgraded connections: 101 UPGRADED, body read first, then raw both ways', async () => {
    const text = await upgradeExchange('{"greeting":"hello"}', 'abc');
    expect(text).toMatch(/^HTTP\/1\.1 101 UPGRADED\r\n/);
    expect(text).toContain('Content-Type: application/vnd.docker.raw-stream');
    expect(text).toContain('Upgrade: tcp');
    expect(text.endsWith('hello:ABC')).toBe(true);
  });

  it('answers a client that does not upgrade with 200 and the output stream', async () => {
    const r = await client.request('POST', '/attach', { greeting: 'yo' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.docker.raw-stream');
    expect(r.text.startsWith('yo:')).toBe(true);
    expect(r.headers['transfer-encoding']).toBeUndefined();
  });
});

describe('socket path handling', () => {
  it('refuses to displace a socket something answers on', async () => {
    const other = createApiServer([]);
    await expect(other.listen(socketPath)).rejects.toThrow(/already listening/);
  });

  it('replaces a stale socket nobody answers on', async () => {
    const stale = join(dir, 'stale.sock');
    // A process that listens and is then killed leaves its socket file behind.
    const code = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', code]);
    expect(statSync(stale).isSocket()).toBe(true);
    const fresh = createApiServer(routes);
    await fresh.listen(stale);
    expect((await rawClient(stale).request('GET', '/things/1')).status).toBe(200);
    await fresh.close();
  });
});
