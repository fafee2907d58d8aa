import { lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { resolveInRoot } from '../archive/scoped-path.js';
import { readInRoot } from '../containers/rootfs-files.js';
import { EngineError, invalid, notFound } from '../errors.js';
import { resolveUser } from '../oci/user.js';
import { contextPath, expandSources, hashSources, missingSource } from './build-context.js';
import type { BuildRun, StageState } from './build-state.js';
import { stageVars } from './build-state.js';
import { cachedStep, nopCreatedBy } from './build-step.js';
import { copyIntoRoot, parseChmod } from './copy-files.js';
import type { Instruction } from './dockerfile-parse.js';
import { downloadSource, URL_SOURCE } from './remote-source.js';
import { expandWord, expandWords } from './shell-words.js';

/** `COPY`/`ADD` (`--from`, `--chown`, `--chmod`, globs, directories; ADD unpacks local tars). */
export async function copyInstruction(run: BuildRun, stage: StageState, ins: Instruction): Promise<void> {
  const vars = stageVars(stage);
  const words = ins.json
    ? ins.json.map((w) => expandWord(w, vars, run.escape))
    : expandWords(ins.rest, vars, run.escape);
  const name = ins.cmd.toUpperCase();
  if (words.length < 2)
    throw invalid(
      `${name} requires at least two arguments, but only one was provided. Destination could not be determined.`,
    );
  const sources = words.slice(0, -1);
  const rawDest = words[words.length - 1] as string;
  const workdir = stage.current.config.config.WorkingDir || '/';
  const dest = rawDest.startsWith('/')
    ? rawDest
    : `${posix.join(workdir, rawDest)}${rawDest.endsWith('/') || rawDest === '.' ? '/' : ''}`;
  const urls = sources.filter((s) => URL_SOURCE.test(s));
  if (urls.length && ins.cmd !== 'add') throw invalid("source can't be a URL for COPY");
  const chmod = parseChmod(ins.flags.chmod);
  const from = ins.flags.from;
  const execute = async (root: string, fromImage: string | undefined, downloaded: string[] = []) => {
    const resolveSource = fromImage
      ? (r: string, s: string) => resolveInRoot(r, s)
      : (r: string, s: string) => contextPath(r, s);
    const paths: string[] = [];
    try {
      for (const s of sources) {
        if (!URL_SOURCE.test(s)) paths.push(...(await expandSources(root, s, resolveSource)));
      }
      paths.push(...downloaded);
      for (const p of paths) {
        if (!(await lstat(p).catch(() => undefined))) throw notFound(missingSource(p.slice(root.length + 1)));
      }
    } catch (err) {
      // Docker words source problems `COPY failed: ...` (docker-compose shows them as is).
      if (err instanceof EngineError) throw new EngineError(err.kind, `${name} failed: ${err.message}`);
      throw err;
    }
    const digest = await hashSources(paths);
    const label =
      paths.length > 1 ? 'multi' : (await lstat(paths[0] as string)).isDirectory() ? 'dir' : 'file';
    // Docker's exact text (the owner expanded), with no space between `--chown=...` and the digest.
    const owner = ins.flags.chown === undefined ? undefined : expandWord(ins.flags.chown, vars, run.escape);
    const chown = owner === undefined ? '' : `--chown=${owner}`;
    const createdBy = nopCreatedBy(
      stage,
      `${name} ${chown}${label}:${digest.slice(7)} in ${rawDest} `,
      '#(nop) ',
    );
    const instruction = `${createdBy}\0${JSON.stringify(ins.flags)}\0${fromImage ?? ''}`;
    await cachedStep(
      run,
      stage,
      instruction,
      async () => {
        const base = stage.current;
        const key = await run.deps.layers.writable(base.id, async (rootfs) => {
          const owner = await ownership(rootfs, ins.flags.chown, vars, run.escape);
          await copyIntoRoot(
            rootfs,
            paths,
            dest,
            { ...owner, mode: chmod },
            ins.cmd === 'add' && !fromImage
              ? {
                  host: run.deps.ctx.host,
                  owner: ins.flags.chown ? owner : undefined,
                  // A downloaded file is copied as is, never unpacked (as Docker does).
                  keep: new Set(downloaded),
                }
              : undefined,
          );
        });
        try {
          return await run.deps.layers.commit(base, key, base.config.config, createdBy);
        } finally {
          await run.deps.layers.drop(key);
        }
      },
      { sources: digest, createdBy, detail: JSON.stringify([dest, owner ?? null]) },
    );
  };
  if (from === undefined && urls.length)
    return withDownloads(run, urls, (d) => execute(run.contextRoot, undefined, d));
  if (from === undefined) return execute(run.contextRoot, undefined);
  const fromId = await sourceImage(run, expandWord(from, vars, run.escape));
  await run.deps.layers.readonly(fromId, (root) => execute(root, fromId));
}

/** Runs `fn` with ADD's URL sources downloaded beside the context; removes them after. */
async function withDownloads(run: BuildRun, urls: readonly string[], fn: (paths: string[]) => Promise<void>) {
  const dir = await mkdtemp(join(dirname(run.contextRoot), 'add-'));
  try {
    const paths: string[] = [];
    for (const [i, url] of urls.entries()) {
      // One directory per URL: two URLs may end in the same file name.
      const sub = join(dir, String(i));
      await mkdir(sub);
      paths.push(await downloadSource(url, sub, run.options.networkMode, run.signal));
    }
    await fn(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `--from=`: a finished stage (by name or index), else a local image. */
async function sourceImage(run: BuildRun, ref: string): Promise<string> {
  const stage = run.stages.get(ref.toLowerCase());
  if (stage) {
    if (!stage.id)
      throw invalid(`${ref}: a stage with no filesystem (FROM scratch and no changes) cannot be copied from`);
    return stage.id;
  }
  return (await run.deps.resolve(ref)).id;
}

/** `--chown=user:group` (names looked up in the image's /etc/passwd and /etc/group); root by default. */
async function ownership(
  rootfs: string,
  spec: string | undefined,
  vars: ReturnType<typeof stageVars>,
  esc: string,
): Promise<{ uid: number; gid: number }> {
  if (!spec) return { uid: 0, gid: 0 };
  const expanded = expandWord(spec, vars, esc);
  const [user = '', group] = expanded.split(':', 2);
  const passwd = await readInRoot(rootfs, '/etc/passwd');
  const groups = await readInRoot(rootfs, '/etc/group');
  try {
    // Docker: a user without a group takes the user's numeric ID as the group too.
    const uid = resolveUser(user, passwd, groups).uid;
    const gid = group === undefined ? uid : resolveUser(`${user}:${group}`, passwd, groups).gid;
    return { uid, gid };
  } catch {
    throw invalid(`unable to convert uid/gid chown string to host mapping: ${expanded}`);
  }
}
