/** One challenge of a `WWW-Authenticate` header: `Bearer realm="...",service="...",scope="..."`. */
export interface AuthChallenge {
  /** Lowercased: `basic`, `bearer`. */
  scheme: string;
  /** Lowercased parameter names to their (unquoted) values. */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (RFC 7235): one or more challenges, each a scheme then
 * comma-separated `name=value` or `name="quoted, value"` parameters. Unparseable input gives [].
 */
export function parseAuthChallenges(header: string | undefined): AuthChallenge[] {
  if (!header) return [];
  const out: AuthChallenge[] = [];
  let i = 0;
  const skip = (re: RegExp) => {
    while (i < header.length && re.test(header[i] as string)) i++;
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const scheme = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(header.slice(i))?.[0];
    if (!scheme) break;
    i += scheme.length;
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    for (;;) {
      const start = i;
      skip(/[\s,]/);
      const name = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(header.slice(i))?.[0];
      if (!name) break;
      const afterName = i + name.length;
      const eq = /^\s*=\s*/.exec(header.slice(afterName));
      if (!eq) {
        // A token without `=` starts the next challenge.
        i = start;
        break;
      }
      i = afterName + eq[0].length;
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const token = /^[^\s,]*/.exec(header.slice(i))?.[0] ?? '';
        value = token;
        i += token.length;
      }
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return out;
}
