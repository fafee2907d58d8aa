import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonLinesParser } from '../../../src/client/streams/json-lines.js';
import { jsonLines } from '../../../src/client/streams/progress.js';
import type { ProgressEvent } from '../../../src/client/types/events.js';
import { isBerthError } from '../../../src/errors/kinds.js';

const fixture = readFileSync(join(import.meta.dirname, 'fixtures/pull-progress.jsonl'));
const expected = fixture
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as ProgressEvent);

function parseIn(pieces: Buffer[]): ProgressEvent[] {
  const parser = new JsonLinesParser<ProgressEvent>();
  const out = pieces.flatMap((p) => parser.push(p));
  return [...out, ...parser.end()];
}

const noMap = (e: unknown) => e as Error;

async function drain(source: Readable): Promise<ProgressEvent[]> {
  const out: ProgressEvent[] = [];
  for await (const e of jsonLines<ProgressEvent>(source, 'POST /images/create', noMap)) out.push(e);
  return out;
}

describe('JsonLinesParser', () => {
  it('parses a recorded pull progress stream', () => {
    expect(parseIn([fixture])).toEqual(expected);
    expect(expected.some((e) => e.progressDetail?.total)).toBe(true);
  });

  it('gives the same events when split at every possible offset (multi-byte characters included)', () => {
    for (let at = 0; at <= fixture.length; at++) {
      expect(parseIn([fixture.subarray(0, at), fixture.subarray(at)])).toEqual(expected);
    }
  });

  it('gives the same events fed one byte at a time', () => {
    expect(parseIn(Array.from(fixture, (_, i) => fixture.subarray(i, i + 1)))).toEqual(expected);
  });

  it('accepts CRLF, blank lines and a last line without a newline', () => {
    expect(parseIn([Buffer.from('{"stream":"a"}\r\n\r\n{"stream":"b"}')])).toEqual([
      { stream: 'a' },
      { stream: 'b' },
    ]);
  });
});

describe('jsonLines', () => {
  it('yields typed events until the end', async () => {
    expect(await drain(Readable.from([fixture]))).toEqual(expected);
  });

  it('throws an error line in the middle of a 200 stream as a BerthError, split anywhere', async () => {
    const bytes = Buffer.from(
      '{"status":"Pulling from x"}\n{"errorDetail":{"message":"manifest unknown: manifest unknown"},"error":"manifest unknown"}\n{"status":"never"}\n',
    );
    for (let at = 0; at <= bytes.length; at++) {
      const seen: ProgressEvent[] = [];
      const run = async () => {
        for await (const e of jsonLines<ProgressEvent>(
          Readable.from([bytes.subarray(0, at), bytes.subarray(at)]),
          'POST /images/create',
          noMap,
        )) {
          seen.push(e);
        }
      };
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isBerthError(err, 'not-found')).toBe(true);
      expect((err as Error).message).toBe('manifest unknown: manifest unknown');
      expect(seen).toEqual([{ status: 'Pulling from x' }]);
    }
  });

  it('uses the call’s failure kind for build step errors', async () => {
    const bytes = Buffer.from(
      '{"stream":"Step 1/2"}\n{"errorDetail":{"code":1,"message":"returned a non-zero code: 1"}}\n',
    );
    const events = jsonLines<ProgressEvent>(Readable.from([bytes]), 'POST /build', noMap, 'failed');
    const err = await (async () => {
      for await (const _ of events) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(isBerthError(err, 'failed')).toBe(true);
  });

  it('reports a malformed line as an engine error naming the endpoint', async () => {
    const err = await drain(Readable.from([Buffer.from('{"status":1}\nnot json\n')])).catch(
      (e: unknown) => e,
    );
    expect(isBerthError(err, 'engine')).toBe(true);
    expect((err as { context: { endpoint: string } }).context.endpoint).toBe('POST /images/create');
  });
});
