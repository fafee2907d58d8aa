import type { Readable } from 'node:stream';
import { EngineError, invalid } from '../errors.js';

/** Request bodies read as JSON are capped here: API bodies are small; images and archives stream. */
export const MAX_JSON_BODY = 4 * 1024 * 1024;

/** Reads a whole body, refusing more than `limit` bytes with a 400 naming the endpoint. */
export async function readBounded(body: Readable, endpoint: string, limit = MAX_JSON_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit)
      throw new EngineError('invalid', `${endpoint}: request body larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty body is `{}`; malformed JSON is a 400 naming the endpoint. */
export function parseJsonBody<T>(bytes: Buffer, endpoint: string): T {
  const text = bytes.toString('utf8').trim();
  if (text === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw invalid(`${endpoint}: malformed JSON body: ${(err as Error).message}`);
  }
}

/** Docker's reading of a boolean query value: absent, "", 0, no, false and none are false. */
export function queryBool(value: string | null): boolean {
  if (value === null) return false;
  return !['', '0', 'no', 'false', 'none'].includes(value.trim().toLowerCase());
}
