import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, expect } from 'vitest';
import { EngineClient } from '../../../src/client/engine-client.js';
import { makeCa, makeCertificates } from '../../support/tls-certs.js';
import { forEachEngine } from './harness.js';

let certs: string;

/** Relays one accepted connection to the engine's unix socket: a TCP front for a real engine. */
function relay(front: Socket, socketPath: string): void {
  const back = connect(socketPath);
  front.pipe(back).pipe(front);
  front.on('error', () => back.destroy());
  back.on('error', () => front.destroy());
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

beforeAll(() => {
  certs = mkdtempSync(join(tmpdir(), 'berth-certs-'));
  makeCertificates(certs);
});

afterAll(() => rmSync(certs, { recursive: true, force: true }));

forEachEngine('tcp and tls transports', (ctx, test) => {
  test('tcp:// reaches the engine through a TCP endpoint', async () => {
    const socketPath = ctx().engine.host.replace(/^unix:\/\//, '');
    const server = createServer((front) => relay(front, socketPath));
    const port = await listen(server);
    const client = new EngineClient({ host: `tcp://127.0.0.1:${port}`, env: {} });
    try {
      expect(client.host.url).toBe(`tcp://127.0.0.1:${port}`);
      expect((await client.system.version()).ApiVersion).toMatch(/^1\./);
      expect(Array.isArray(await client.containers.list({ all: true }))).toBe(true);
    } finally {
      client.close();
      server.close();
    }
  });

  test('DOCKER_TLS_VERIFY with DOCKER_CERT_PATH speaks https with client certificates', async () => {
    const socketPath = ctx().engine.host.replace(/^unix:\/\//, '');
    const read = (f: string) => readFileSync(join(certs, f));
    const server = createTlsServer({
      key: read('server-key.pem'),
      cert: read('server-cert.pem'),
      ca: read('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on('secureConnection', (front) => relay(front, socketPath));
    const port = await listen(server as unknown as Server);
    const env = { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs };
    const client = new EngineClient({ env });
    try {
      expect(client.host.source).toBe('DOCKER_HOST');
      expect((await client.system.info()).OSType).toBe('linux');
      // The server really demands the client certificate: without one nothing gets through.
      const anonymous = new Promise<void>((resolve, reject) => {
        const req = https.get({ host: '127.0.0.1', port, path: '/_ping', ca: read('ca.pem'), agent: false });
        req.on('response', () => reject(new Error('answered without a client certificate')));
        req.on('error', () => resolve());
      });
      await anonymous;
      const missing = join(certs, 'missing');
      expect(() => new EngineClient({ env: { ...env, DOCKER_CERT_PATH: missing } })).toThrow(
        expect.objectContaining({ kind: 'invalid', message: expect.stringContaining(`${missing}/ca.pem`) }),
      );
    } finally {
      client.close();
      server.close();
    }
  });

  test('DOCKER_TLS_VERIFY refuses a server whose certificate the CA did not sign', async () => {
    const read = (f: string) => readFileSync(join(certs, f));
    const server = createTlsServer({ key: read('server-key.pem'), cert: read('server-cert.pem') });
    server.on('secureConnection', (front) => front.destroy());
    const port = await listen(server as unknown as Server);
    // The client's own certificate, but a CA that signed nothing of this server's.
    const other = join(certs, 'other-ca');
    mkdirSync(other, { recursive: true });
    for (const f of ['cert.pem', 'key.pem']) copyFileSync(join(certs, f), join(other, f));
    makeCa(other, 'berth-other-ca');
    const env = { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: other };
    const client = new EngineClient({ env });
    try {
      const err = await client.system.version().then(
        () => ({ kind: 'none', message: '' }),
        (e: { kind: string; message: string }) => e,
      );
      expect(err.kind).toBe('unavailable');
      expect(err.message).toMatch(
        new RegExp(`^cannot reach the engine at tcp://127\\.0\\.0\\.1:${port}: .*certificate`),
      );
    } finally {
      client.close();
      server.close();
    }
  });
});
