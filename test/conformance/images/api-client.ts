import { createReadStream } from 'node:fs';
import { request } from 'node:http';

/** An answer with its raw bytes (for tar bodies) and its text. */
export interface BytesResponse {
  status: number;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
}

/** Sends a request with a byte or file body over the engine socket and collects the answer. */
export function send(
  socketPath: string,
  method: string,
  path: string,
  body?: Buffer | { file: string },
  headers: Record<string, string> = {},
): Promise<BytesResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: body ? { 'Content-Type': 'application/x-tar', ...headers } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const data = Buffer.concat(chunks);
          const text = data.toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: data, text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    req.on('error', reject);
    if (body && 'file' in body) createReadStream(body.file).pipe(req);
    else req.end(body);
  });
}

/** The JSON lines of a progress stream. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
