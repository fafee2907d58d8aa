/**
 * Compose accepts its global flags before the command (`berth -f - -p demo config`); oclif only
 * parses flags after the command id. This moves leading global flags to just after the id, so
 * both orders work. Pure, so the rules are unit-tested.
 */

/** Global flags that take a value, as written on the command line. */
const VALUE_FLAGS = new Set([
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--project-directory',
  '--profile',
  '--env-file',
  '-H',
  '--host',
  '--progress',
  '--parallel',
]);

/** Short global flags and the long form they are moved as. */
const LONG_FORMS: Record<string, string> = { '-p': '--project-name', '-f': '--file' };

/** Flags that stand alone. */
const BOOLEAN_FLAGS = new Set(['--dry-run', '--no-color', '--compatibility']);

/**
 * Returns argv with leading global flags moved after the command id. `commandIds` are oclif ids
 * (`engine:start`); the longest id matching the words after the flags wins.
 */
export function hoistGlobalFlags(argv: readonly string[], commandIds: ReadonlySet<string>): string[] {
  const flags: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (VALUE_FLAGS.has(name)) {
      const takesNext = !arg.includes('=') && i + 1 < argv.length;
      // Short forms are spelled out: after the command, `-p` and `-f` may be the command's own
      // (`run -p` publishes a port, `rm -f` forces, `logs -f` follows), so a global one must not be short there.
      const flag = LONG_FORMS[name] ? LONG_FORMS[name] + arg.slice(name.length) : arg;
      flags.push(...(takesNext ? [flag, argv[i + 1]!] : [flag]));
      i += takesNext ? 2 : 1;
    } else if (BOOLEAN_FLAGS.has(arg)) {
      flags.push(arg);
      i += 1;
    } else {
      break;
    }
  }
  if (flags.length === 0) return [...argv];
  const rest = argv.slice(i);
  let idLength = 0;
  for (let n = 1; n <= rest.length && !rest[n - 1]!.startsWith('-'); n++) {
    if (commandIds.has(rest.slice(0, n).join(':'))) idLength = n;
  }
  if (idLength === 0) return [...argv];
  return [...rest.slice(0, idLength), ...flags, ...rest.slice(idLength)];
}
