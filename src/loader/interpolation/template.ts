/**
 * Compose variable substitution in one string: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`, with
 * defaults, messages and alternatives themselves substituted (so they nest), and `$$` for a
 * literal `$`. Pure: values come from `lookup`; problems are thrown as {@link TemplateError}, which
 * the caller locates.
 */

/** Returns a variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** A substitution problem; `variable` is set for a missing required variable. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Substitutes every variable in `template`; `onUnset` hears of variables used without a value. */
export function substitute(template: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(template, i + 2);
      out += expandBraced(template.slice(i + 2, end), lookup, onUnset);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < template.length && NAME_CHAR.test(template[j]!)) j++;
      out += variableValue(template.slice(i + 1, j), lookup, onUnset);
      i = j;
    } else {
      throw new TemplateError(`invalid interpolation format in "${template}": write "$$" for a literal "$"`);
    }
  }
  return out;
}

/** Index of the `}` that closes a `${` whose body starts at `start`, honouring nested `${...}`. */
function closingBrace(template: string, start: number): number {
  let depth = 1;
  for (let i = start; i < template.length; i++) {
    const ch = template[i];
    if (ch === '$' && template[i + 1] === '$') i++;
    else if (ch === '$' && template[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}' && --depth === 0) return i;
  }
  throw new TemplateError(`invalid interpolation format in "${template}": missing "}"`);
}

const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/;

function expandBraced(body: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  const match = BRACED.exec(body);
  if (!match) throw new TemplateError(`invalid interpolation format: "\${${body}}"`);
  const [, name, op, arg = ''] = match as unknown as [string, string, string | undefined, string | undefined];
  if (op === undefined) return variableValue(name, lookup, onUnset);
  const value = lookup(name);
  const unsetOrEmpty = value === undefined || value === '';
  switch (op) {
    case ':-':
      return unsetOrEmpty ? substitute(arg, lookup, onUnset) : value;
    case '-':
      return value === undefined ? substitute(arg, lookup, onUnset) : value;
    case ':+':
      return unsetOrEmpty ? '' : substitute(arg, lookup, onUnset);
    case '+':
      return value === undefined ? '' : substitute(arg, lookup, onUnset);
    default: {
      const missing = op === ':?' ? unsetOrEmpty : value === undefined;
      if (!missing) return value as string;
      const message = substitute(arg, lookup, onUnset);
      throw new TemplateError(
        `required variable "${name}" is missing a value${message ? `: ${message}` : ''}`,
        name,
      );
    }
  }
}

function variableValue(name: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  const value = lookup(name);
  if (value === undefined) {
    onUnset?.(name);
    return '';
  }
  return value;
}
