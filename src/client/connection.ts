import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type https from 'node:https';
import { Duplex, Writable } from 'node:stream';
import { errors } from '../errors/kinds.js';
import type { TlsFiles } from './host.js';

/** True for the failures of a pooled connection the engine had already closed. */
export function isStaleSocket(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** Reads the client certificate, key and CA for an `https` engine; a missing file is `invalid`. */
export function readTls(files: TlsFiles): https.AgentOptions {
  const read = (p: string) => {
    try {
      return readFileSync(p);
    } catch (err) {
      throw errors.invalid(`cannot read TLS file ${p}: ${(err as Error).message}`, { location: p });
    }
  };
  return {
    ca: read(files.ca),
    cert: read(files.cert),
    key: read(files.key),
    rejectUnauthorized: files.verify,
  };
}

/** A response that stands in for a hijacked connection from an engine that did not upgrade: stdin is discarded. */
export function oneWay(res: IncomingMessage): Duplex {
  const discard = new Writable({ write: (_chunk, _enc, cb) => cb() });
  return Duplex.from({ readable: res, writable: discard });
}
