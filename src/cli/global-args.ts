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
      // Before the command, -p is the project name; after it, `run -p` publishes a port.
      const flag = name === '-p' ? arg.replace(/^-p/, '--project-name') : arg;
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
