import { StringDecoder } from 'node:string_decoder';

/**
 * Incremental parser of a JSON-lines stream (progress of pull/push/build/load, events): chunks
 * may split lines and multi-byte characters anywhere. Blank lines are skipped.
 */
export class JsonLinesParser<T> {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** Feeds a chunk; returns the objects completed by it. Throws SyntaxError on a malformed line. */
  push(chunk: Buffer | string): T[] {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const out: T[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl).trim();
      start = nl + 1;
      if (line) out.push(JSON.parse(line) as T);
    }
    this.rest = text.slice(start);
    return out;
  }

  /** Ends the stream; returns a last object not followed by a newline. */
  end(): T[] {
    const line = (this.rest + this.decoder.end()).trim();
    this.rest = '';
    return line ? [JSON.parse(line) as T] : [];
  }
}
