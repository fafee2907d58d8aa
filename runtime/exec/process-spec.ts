import { effectiveCapabilities } from '../oci/capabilities.js';
import { mergeEnv } from '../oci/process-args.js';
import { type ProcessUser, resolveUser } from '../oci/user.js';

/** `POST /containers/{id}/exec` body (the parts berth uses). */
export interface ExecConfig {
  Cmd: string[];
  Env?: string[] | null;
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  Privileged?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
}

/**
 * The OCI process for an exec, derived from the container's own process (capabilities, rlimits,
 * no_new_privileges, env) with the exec's command, env, user, workdir and terminal. Pure; the
 * user database texts come from the container's root filesystem.
 */
export function execProcessSpec(
  containerProcess: Record<string, unknown>,
  exec: ExecConfig,
  userDb: { passwd?: string; group?: string },
  /** The engine's capabilities (privileged execs get these). */
  available?: readonly string[],
): Record<string, unknown> {
  const base = containerProcess as {
    env?: string[];
    cwd?: string;
    user?: ProcessUser;
    capabilities?: Record<string, string[]>;
  };
  const user = exec.User ? resolveUser(exec.User, userDb.passwd, userDb.group) : undefined;
  const caps = exec.Privileged ? effectiveCapabilities([], [], true, available) : undefined;
  const env = mergeEnv(base.env ?? [], exec.Env ?? []);
  if (exec.Tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
  return {
    ...containerProcess,
    terminal: !!exec.Tty,
    args: exec.Cmd,
    env,
    cwd: exec.WorkingDir || base.cwd || '/',
    ...(user
      ? {
          user: {
            uid: user.uid,
            gid: user.gid,
            ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}),
          },
        }
      : {}),
    ...(caps ? { capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [] } } : {}),
    consoleSize: exec.Tty ? { height: 24, width: 80 } : undefined,
  };
}

/** Single-quotes an argument for `sh -c` (the TTY path runs the runtime under script(1)). */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
