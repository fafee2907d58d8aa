/**
 * Go's `fmt` renderings that Docker's classic builder writes into image history (`created_by`),
 * reproduced so history and `cachefrom` matching agree with images dockerd built.
 */

const UNITS: Array<[number, string]> = [
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** `value / unit` with Go's trailing-zero-free fraction (`1.5`, `30`). */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value - whole * unit;
  if (rest === 0) return String(whole);
  const digits = String(rest)
    .padStart(String(unit).length - 1, '0')
    .replace(/0+$/, '');
  return `${whole}.${digits}`;
}

/** Go's `time.Duration.String()` of a count of nanoseconds: `0s`, `500ms`, `1.5s`, `1m30s`, `2h0m0s`. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 0) return `-${goDuration(-ns)}`;
  if (ns < 1e9) {
    const [unit, name] = UNITS.find(([u]) => ns >= u) ?? [1, 'ns'];
    return `${fraction(ns, unit)}${name}`;
  }
  const hours = Math.floor(ns / 3600e9);
  const minutes = Math.floor((ns % 3600e9) / 60e9);
  const seconds = `${fraction(ns % 60e9, 1e9)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** Go's `%q` of an integer: a quoted character literal (`'\x02'`, `'A'`, `'\''`). */
export function goQuoteRune(n: number): string {
  if (n === 0x27) return "'\\''";
  if (n === 0x5c) return "'\\\\'";
  const named: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r' };
  if (named[n]) return `'\\${named[n]}'`;
  if (n < 0x20 || n === 0x7f) return `'\\x${n.toString(16).padStart(2, '0')}'`;
  if (n > 0x10ffff || n < 0) return "'�'";
  return `'${String.fromCodePoint(n)}'`;
}
