import type { ContainerConfig } from '../containers/api-types.js';
import type { ContainerImageConfig } from '../contracts.js';
import { invalid } from '../errors.js';

/** The PATH a container gets when neither the image nor the request sets one (Docker's). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Docker accepts `Cmd`/`Entrypoint` as a string (shell-split by the client) or an array. */
export function asArgv(value: string[] | string | null | undefined): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? [value] : value;
}

/**
 * The container's command as Docker computes it: an Entrypoint from the request replaces the
 * image's and then also drops the image's Cmd; a Cmd from the request replaces the image's Cmd.
 * An explicitly empty Entrypoint (`[""]` or `[]`) clears the image's.
 */
export function resolveCommand(
  request: Pick<ContainerConfig, 'Entrypoint' | 'Cmd'>,
  image: Pick<ContainerImageConfig, 'Entrypoint' | 'Cmd'>,
): { entrypoint: string[]; cmd: string[] } {
  const reqEntrypoint = asArgv(request.Entrypoint);
  const reqCmd = asArgv(request.Cmd);
  const clearedEntrypoint = reqEntrypoint?.every((a) => a === '') ?? false;
  const entrypoint =
    reqEntrypoint !== undefined ? (clearedEntrypoint ? [] : reqEntrypoint) : (image.Entrypoint ?? []);
  const cmd = reqCmd ?? (reqEntrypoint !== undefined ? [] : (image.Cmd ?? []));
  return { entrypoint, cmd };
}

/** Path and Args as inspect shows them; refuses a container with nothing to run. */
export function pathAndArgs(entrypoint: string[], cmd: string[]): { path: string; args: string[] } {
  const argv = [...entrypoint, ...cmd];
  const [path, ...args] = argv;
  if (!path) throw invalid('No command specified');
  return { path, args };
}

/**
 * Environment as Docker merges it: image Env, then the request's Env overriding by key; PATH
 * defaults when nobody set it. Entries without `=` from a request are dropped (the client resolves them).
 */
export function mergeEnv(imageEnv: string[] = [], requestEnv: string[] = []): string[] {
  const out = new Map<string, string>();
  for (const e of [...imageEnv, ...requestEnv]) {
    const i = e.indexOf('=');
    if (i <= 0) continue;
    out.set(e.slice(0, i), e);
  }
  if (!out.has('PATH')) out.set('PATH', `PATH=${DEFAULT_PATH}`);
  return [...out.values()];
}

/** The process environment at start: merged Env plus HOSTNAME, HOME and TERM as Docker adds them. */
export function processEnv(
  env: string[],
  hostname: string,
  home: string | undefined,
  tty: boolean,
): string[] {
  const keys = new Set(env.map((e) => e.slice(0, e.indexOf('='))));
  const out = [...env];
  if (!keys.has('HOSTNAME')) out.unshift(`HOSTNAME=${hostname}`);
  if (tty && !keys.has('TERM')) out.push('TERM=xterm');
  if (!keys.has('HOME')) out.push(`HOME=${home || '/root'}`);
  return out;
}
