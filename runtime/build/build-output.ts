import type { Writable } from 'node:stream';

/** The short form Docker prints of an image or container ID. */
export const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/**
 * The classic builder's JSON-lines progress stream (`{"stream": ...}`, `{"aux": ...}`,
 * `{"errorDetail": ...}`), which docker, docker-compose and docker-py parse. In quiet mode only
 * the final ID and errors are written.
 */
export class BuildOutput {
  constructor(
    private readonly out: Writable,
    private readonly quiet = false,
  ) {}

  /** A message passed through as is (pull progress during FROM). */
  message(message: Record<string, unknown>): void {
    if (!this.quiet) this.write(message);
  }

  private write(message: unknown): void {
    if (!this.out.destroyed && this.out.writable) this.out.write(`${JSON.stringify(message)}\r\n`);
  }

  /** A line (or raw chunk) of progress text. */
  stream(text: string): void {
    if (!this.quiet && text) this.write({ stream: text });
  }

  /** `Step n/m : text`, then its newline in a message of its own, as dockerd writes them. */
  step(n: number, total: number, text: string): void {
    this.stream(`Step ${n}/${total} : ${text}`);
    this.stream('\n');
  }

  /** The image a stage ended with (dockerd sends an `aux` ID at the end of every stage). */
  stageBuilt(id: string): void {
    this.write({ aux: { ID: id } });
  }

  /** The image a step produced (` ---> 1a2b3c4d5e6f`). */
  result(id: string | undefined): void {
    this.stream(id ? ` ---> ${shortId(id)}\n` : ' ---> \n');
  }

  /** The final image: `aux` (read by clients for the ID), then Docker's summary lines. */
  built(id: string, tags: readonly string[]): void {
    this.write({ aux: { ID: id } });
    if (this.quiet) {
      this.write({ stream: `${id}\n` });
      return;
    }
    this.stream(`Successfully built ${shortId(id)}\n`);
    for (const t of tags) this.stream(`Successfully tagged ${t}\n`);
  }

  error(message: string, code?: number): void {
    this.write({ errorDetail: code === undefined ? { message } : { code, message }, error: message });
  }
}
