/**
 * Runs async sections one at a time, in call order: state files are read-modify-written as a
 * whole, so two requests must not interleave their updates.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
