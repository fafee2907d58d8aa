import type { ContainerImageConfig } from '../contracts.js';
import { invalid } from '../errors.js';
import type { Instruction } from './dockerfile-parse.js';
import { splitPairs } from './dockerfile-parse.js';
import { goDuration, goQuoteRune } from './go-format.js';
import { expandWord, expandWords, type Substitution } from './shell-words.js';

/** The outcome of a metadata instruction: the new runnable config and Docker's history comment. */
export interface MetadataResult {
  config: ContainerImageConfig;
  /** The comment after `#(nop) ` in `created_by` (`ENV A=1`). */
  comment: string;
  /** MAINTAINER sets the image's author. */
  author?: string;
}

/** Go's `%q` of a string slice, as Docker writes CMD/ENTRYPOINT in history. */
export const quotedList = (items: readonly string[]) => `[${items.map((a) => JSON.stringify(a)).join(' ')}]`;

/** The default shell of RUN/CMD/ENTRYPOINT shell forms on Linux. */
export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** The argv of a shell- or exec-form command: JSON as given, else the text through the shell. */
export function commandArgv(ins: Instruction, shell: readonly string[] | undefined): string[] {
  return ins.json ?? [...(shell?.length ? shell : DEFAULT_SHELL), ins.rest];
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration (`30s`, `1m30s`) in nanoseconds. */
export function parseDuration(text: string, flag: string): number {
  let rest = text;
  let total = 0;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m?.[1] || !m[2])
      throw invalid(`Error parsing duration for ${flag}: time: invalid duration "${text}"`);
    total += Number(m[1]) * (UNIT_NS[m[2]] ?? 0);
    rest = rest.slice(m[0].length);
  }
  if (!text) throw invalid(`Error parsing duration for ${flag}: time: invalid duration ""`);
  return Math.round(total);
}

/** Ports of EXPOSE (`80`, `53/udp`, `8000-8002`) as `ExposedPorts` keys. */
export function exposedPorts(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word);
    if (!m?.[1]) throw invalid(`Invalid containerPort: ${word}`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (to < from || to > 65535) throw invalid(`Invalid port range: ${word}`);
    for (let p = from; p <= to; p++) out.push(`${p}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return out;
}

/** Sets `KEY=value` in an env list, replacing an earlier value of the key. */
export function setEnv(env: readonly string[], key: string, value: string): string[] {
  return [...env.filter((kv) => kv.split('=', 1)[0] !== key), `${key}=${value}`];
}

/**
 * Applies a metadata-only instruction (ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, VOLUME, USER,
 * WORKDIR, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD, MAINTAINER) to a config. Pure.
 */
export function metadataStep(
  ins: Instruction,
  current: ContainerImageConfig,
  vars: Substitution,
  esc: string,
): MetadataResult {
  const config: ContainerImageConfig = structuredClone(current);
  const word = (w: string) => expandWord(w, vars, esc);
  switch (ins.cmd) {
    case 'env': {
      const pairs = splitPairs(ins.rest, esc, true).map(([k, v]) => [k, word(v)] as const);
      if (pairs.length === 0) throw invalid('ENV requires at least one argument');
      let env = config.Env ?? [];
      for (const [k, v] of pairs) env = setEnv(env, k, v);
      config.Env = env;
      return { config, comment: `ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}` };
    }
    case 'label': {
      const pairs = splitPairs(ins.rest, esc, true, 'LABEL').map(([k, v]) => [word(k), word(v)] as const);
      if (pairs.length === 0) throw invalid('LABEL requires at least one argument');
      config.Labels = { ...(config.Labels ?? {}), ...Object.fromEntries(pairs) };
      return { config, comment: `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}` };
    }
    case 'maintainer':
      return { config, comment: `MAINTAINER ${ins.rest}`, author: ins.rest };
    case 'cmd':
    case 'entrypoint': {
      const argv = ins.rest === '' && !ins.json ? [] : commandArgv(ins, config.Shell);
      if (ins.cmd === 'cmd') config.Cmd = argv;
      else {
        config.Entrypoint = argv;
        // An ENTRYPOINT resets the CMD inherited from the base image (Docker's rule).
        delete config.Cmd;
      }
      return { config, comment: `${ins.cmd.toUpperCase()} ${quotedList(argv)}` };
    }
    case 'expose': {
      const ports = exposedPorts(expandWords(ins.rest, vars, esc));
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const p of ports) config.ExposedPorts[p] = {};
      // Docker's history names TCP ports bare (`EXPOSE 53/udp 80`).
      const shown = ports.map((p) => (p.endsWith('/tcp') ? p.slice(0, -4) : p)).sort();
      return { config, comment: `EXPOSE ${shown.join(' ')}` };
    }
    case 'volume': {
      const paths = (ins.json ?? expandWords(ins.rest, vars, esc)).map(word).filter((p) => p.trim() !== '');
      if (paths.length === 0) throw invalid('VOLUME specified can not be an empty string');
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const p of paths) config.Volumes[p] = {};
      return { config, comment: `VOLUME [${paths.join(' ')}]` };
    }
    case 'user':
      config.User = word(ins.rest);
      return { config, comment: `USER ${config.User}` };
    case 'workdir': {
      const dir = word(ins.rest);
      config.WorkingDir = dir.startsWith('/')
        ? dir
        : `${config.WorkingDir || '/'}/${dir}`.replace(/\/+/g, '/');
      return { config, comment: `WORKDIR ${config.WorkingDir}` };
    }
    case 'stopsignal':
      config.StopSignal = word(ins.rest);
      return { config, comment: `STOPSIGNAL ${config.StopSignal}` };
    case 'shell':
      config.Shell = ins.json;
      return { config, comment: `SHELL [${(ins.json ?? []).join(' ')}]` };
    case 'onbuild': {
      const trigger = ins.rest.trim();
      if (/^(onbuild|from|maintainer)\b/i.test(trigger)) {
        throw invalid(`${trigger.split(/\s/)[0]?.toUpperCase()} isn't allowed as an ONBUILD trigger`);
      }
      config.OnBuild = [...(config.OnBuild ?? []), trigger];
      return { config, comment: `ONBUILD ${trigger}` };
    }
    case 'healthcheck':
      config.Healthcheck = healthcheck(ins);
      return { config, comment: `HEALTHCHECK ${healthcheckComment(config.Healthcheck)}` };
    default:
      throw invalid(`${ins.cmd.toUpperCase()} is not a metadata instruction`);
  }
}

/**
 * dockerd's `%q` of its HealthConfig (Test, Interval, Timeout, StartPeriod, Retries):
 * `&{["CMD-SHELL" "curl x"] "30s" "0s" "0s" '\x02'}`.
 */
function healthcheckComment(check: NonNullable<ContainerImageConfig['Healthcheck']>): string {
  const durations = [check.Interval, check.Timeout, check.StartPeriod].map((d) => `"${goDuration(d ?? 0)}"`);
  return `&{${quotedList(check.Test ?? [])} ${durations.join(' ')} ${goQuoteRune(check.Retries ?? 0)}}`;
}

function healthcheck(ins: Instruction): NonNullable<ContainerImageConfig['Healthcheck']> {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(ins.rest);
  const kind = (m?.[1] ?? '').toUpperCase();
  if (kind === 'NONE') {
    if (m?.[2] || Object.keys(ins.flags).length) throw invalid('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (kind !== 'CMD') throw invalid(`Unknown type "${kind}" in HEALTHCHECK (try CMD)`);
  const rest = m?.[2] ?? '';
  let json: string[] | undefined;
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) json = v;
  } catch {
    // shell form
  }
  const check: NonNullable<ContainerImageConfig['Healthcheck']> = {
    Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest],
  };
  for (const [flag, value] of Object.entries(ins.flags)) {
    if (flag === 'interval') check.Interval = parseDuration(value, '--interval');
    else if (flag === 'timeout') check.Timeout = parseDuration(value, '--timeout');
    else if (flag === 'start-period') check.StartPeriod = parseDuration(value, '--start-period');
    else if (flag === 'retries') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw invalid('--retries must be at least 1');
      check.Retries = n;
    } else if (flag !== 'start-interval') throw invalid(`Unknown flag: ${flag}`);
  }
  return check;
}
