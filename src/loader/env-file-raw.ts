import { BerthError } from '../errors/kinds.js';
import type { Lookup } from './interpolation/template.js';

/**
 * Parses an `env_file` written with `format: raw`, as `docker run --env-file` reads it: one
 * `KEY=value` per line, split at the first `=`, the value taken exactly as written (quotes,
 * `$`, `#` and trailing spaces included; nothing is interpolated or unescaped). Leading
 * whitespace and blank or `#` lines are skipped. A bare `KEY` takes its value from `lookup` and
 * is left out when unset. Pure: a name with whitespace fails with its `file:line:col`.
 */
export function parseRawEnvFile(
  text: string,
  file: string,
  lookup: Lookup = () => undefined,
): Record<string, string> {
  const vars: Record<string, string> = Object.create(null);
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) return;
    const eq = body.indexOf('=');
    const name = eq < 0 ? body.trimEnd() : body.slice(0, eq);
    if (name === '' || /\s/.test(name)) {
      const col = line.length - body.length + 1;
      throw new BerthError(
        'invalid',
        `invalid variable name "${name}": names cannot be empty or hold whitespace`,
        {
          location: `${file}:${index + 1}:${col}`,
        },
      );
    }
    if (eq >= 0) vars[name] = body.slice(eq + 1);
    else {
      const inherited = lookup(name);
      if (inherited !== undefined) vars[name] = inherited;
    }
  });
  return { ...vars };
}
