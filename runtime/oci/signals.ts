import { invalid } from '../errors.js';

const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
};

/** Parses a signal as Docker accepts it (`SIGTERM`, `term`, `15`, `SIGRTMIN+3`) into its number; 400 otherwise. */
export function parseSignal(value: string): number {
  const v = value.trim().toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n >= 1 && n <= 64) return n;
  } else if (SIGNALS[v] !== undefined) return SIGNALS[v];
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(v) ?? /^RTMAX(?:-(\d+))?$/.exec(v);
  if (rt) {
    const n = v.startsWith('RTMIN') ? 34 + Number(rt[1] ?? 0) : 64 - Number(rt[1] ?? 0);
    if (n >= 34 && n <= 64) return n;
  }
  throw invalid(`Invalid signal: ${value}`);
}
