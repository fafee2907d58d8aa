import { BerthError } from '../../errors/kinds.js';
import { formatPath, formatPosition, type PositionIndex, type TreePath } from '../tree-path.js';

/**
 * Collects located problems while normalizing, so one run reports all of them at once
 * (`compose.yaml:12:7 services.web.ports[0]: invalid port "80:x"`).
 */
export class Problems {
  private readonly found: BerthError[] = [];

  constructor(private readonly positions: PositionIndex) {}

  /** Records a problem at `path`; the caller carries on with a fallback value. */
  add(path: TreePath, message: string, service?: string): void {
    const pos = this.positions.get(path);
    this.found.push(
      new BerthError('invalid', message, {
        location: pos ? formatPosition(pos) : undefined,
        path: formatPath(path) || undefined,
        service,
      }),
    );
  }

  /** Records a BerthError thrown by a collaborator (e.g. a missing env_file). */
  addError(err: BerthError): void {
    this.found.push(err);
  }

  /** Throws one `invalid` error listing every problem, if there were any. */
  throwIfAny(what: string): void {
    if (this.found.length === 0) return;
    if (this.found.length === 1) throw this.found[0];
    throw new BerthError('invalid', `${what} (${this.found.length} problems):`, {}, { details: this.found });
  }
}

/** Thrown by converters on a bad value; caught where the path is known and turned into a problem. */
export class ValueError extends Error {}
