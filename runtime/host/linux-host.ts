import { execFile, type SpawnOptions, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Host, Mount, RunOptions, RunResult } from './host.js';

/** The real {@link Host}: runs commands and mounts with util-linux's mount(8). */
export class LinuxHost implements Host {
  run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        command,
        args,
        {
          cwd: options.cwd,
          env: options.env ? { ...process.env, ...options.env } : process.env,
          timeout: options.timeoutMs ?? 0,
          maxBuffer: 64 * 1024 * 1024,
          encoding: 'utf8',
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          if (err && (!options.allowFailure || typeof err.code !== 'number')) {
            const why = stderr.trim() || err.message;
            reject(new Error(`${command} ${args.join(' ')}: ${why}`, { cause: err }));
            return;
          }
          resolve({ code, stdout, stderr });
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  }

  spawn(command: string, args: string[], options: SpawnOptions = {}) {
    return spawn(command, args, options);
  }

  async mount(m: Mount): Promise<void> {
    const opts = m.options.length ? ['-o', m.options.join(',')] : [];
    const type = m.type === 'bind' ? [] : ['-t', m.type];
    const bind = m.type === 'bind' ? ['--bind'] : [];
    await this.run('mount', [...type, ...bind, ...opts, m.source, m.target]);
  }

  async unmount(target: string, options: { detach?: boolean } = {}): Promise<void> {
    const args = options.detach ? ['-l', target] : [target];
    const res = await this.run('umount', args, { allowFailure: true });
    if (res.code !== 0 && !/not mounted|no mount point|not found/i.test(res.stderr)) {
      throw new Error(`umount ${target}: ${res.stderr.trim()}`);
    }
  }

  async mountsUnder(prefix: string): Promise<string[]> {
    const text = await readFile('/proc/self/mountinfo', 'utf8');
    const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
    return text
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((p): p is string => Boolean(p) && (p === prefix || p.startsWith(dir)))
      .map((p) => p.replace(/\\040/g, ' '))
      .sort((a, b) => b.length - a.length);
  }

  signal(pid: number, signal: number): boolean {
    try {
      process.kill(pid, signal);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  }
}
