import type { ContainerImageConfig } from '../contracts.js';
import { invalid } from '../errors.js';

/**
 * Applies `docker import --change` / `docker commit --change` instructions (Dockerfile syntax)
 * to an image config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME,
 * WORKDIR. Pure: returns a new config.
 */
export function applyChanges(base: ContainerImageConfig, changes: readonly string[]): ContainerImageConfig {
  const config: ContainerImageConfig = structuredClone(base);
  for (const line of changes) {
    const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(line);
    if (!m?.[1] || line.trim() === '') continue;
    const instr = m[1].toUpperCase();
    const rest = (m[2] ?? '').trim();
    switch (instr) {
      case 'CMD':
        config.Cmd = execForm(rest);
        break;
      case 'ENTRYPOINT':
        config.Entrypoint = execForm(rest);
        break;
      case 'ENV':
        for (const [k, v] of pairs(rest, 'ENV')) {
          config.Env = [...(config.Env ?? []).filter((e) => e.split('=')[0] !== k), `${k}=${v}`];
        }
        break;
      case 'LABEL':
        for (const [k, v] of pairs(rest, 'LABEL')) config.Labels = { ...config.Labels, [k]: v };
        break;
      case 'EXPOSE':
        for (const port of words(rest)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(port)) throw invalid(`invalid EXPOSE port: ${port}`);
          config.ExposedPorts = {
            ...config.ExposedPorts,
            [port.includes('/') ? port.toLowerCase() : `${port}/tcp`]: {},
          };
        }
        break;
      case 'VOLUME':
        for (const v of rest.startsWith('[') ? jsonArray(rest, 'VOLUME') : words(rest)) {
          config.Volumes = { ...config.Volumes, [v]: {} };
        }
        break;
      case 'WORKDIR': {
        const dir = words(rest).join(' ');
        config.WorkingDir = dir.startsWith('/')
          ? dir
          : `${(config.WorkingDir ?? '/').replace(/\/$/, '')}/${dir}`;
        break;
      }
      case 'USER':
        config.User = rest;
        break;
      case 'STOPSIGNAL':
        config.StopSignal = rest;
        break;
      case 'ONBUILD':
        config.OnBuild = [...(config.OnBuild ?? []), rest];
        break;
      default:
        throw invalid(`${instr} is not a valid change command`);
    }
  }
  return config;
}

function jsonArray(text: string, instr: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
  } catch {
    // reported below
  }
  throw invalid(`${instr} expects a JSON array of strings: ${text}`);
}

/** `["a","b"]` (exec form) or anything else (shell form: `/bin/sh -c <text>`). */
function execForm(text: string): string[] {
  if (text.startsWith('[')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
    } catch {
      // not JSON: Docker treats it as the shell form
    }
  }
  return ['/bin/sh', '-c', text];
}

/** Splits on whitespace honoring double/single quotes and backslash escapes. */
export function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && quote !== "'" && i + 1 < text.length) {
      cur += text[++i];
      any = true;
    } else if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (any) out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (quote) throw invalid(`unterminated quote in: ${text}`);
  if (any) out.push(cur);
  return out;
}

/** `k=v k2="v 2"` or the legacy `k v with spaces`. */
function pairs(text: string, instr: string): Array<[string, string]> {
  const ws = words(text);
  if (ws.length === 0) throw invalid(`${instr} requires at least one argument`);
  if (!ws[0]?.includes('=')) {
    const m = /^(\S+)\s+(.*)$/s.exec(text);
    if (!m?.[1]) throw invalid(`${instr} requires a value: ${text}`);
    return [[m[1], words(m[2] ?? '').join(' ')]];
  }
  return ws.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw invalid(`${instr} names must be of the form key=value: ${w}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}
