import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar } from '../../support/busybox-rootfs.js';
import { DOCKER_CLI, DOCKER_CLI_20 } from '../../support/docker-cli.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { eventually } from '../../support/eventually.js';

const run = promisify(execFile);
const DOCKER = DOCKER_CLI;
const DOCKER_20 = DOCKER_CLI_20;

// The real docker CLI (28, and 20.10 where it matters) and docker-py against the embedded
// engine: version, info, volumes, events.
describe('docker CLI: system, volumes and events on the embedded engine', () => {
  let engine: EmbeddedEngine;
  let p: string;
  const docker = async (args: string[], bin = DOCKER) => {
    const { stdout } = await run(bin, args, {
      env: { ...process.env, DOCKER_HOST: engine.host, DOCKER_BUILDKIT: '0' },
    });
    return stdout.trim();
  };
  const dockerFails = (args: string[]) =>
    docker(args).then(
      (out) => Promise.reject(new Error(`expected docker ${args.join(' ')} to fail, got ${out}`)),
      (err: { stderr?: string; code?: number }) => ({ code: err.code, stderr: err.stderr ?? '' }),
    );

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    p = engine.prefix;
  });
  afterAll(async () => {
    engine?.assertNoLeaks();
    await engine?.stop();
  });

  it('version: both CLIs negotiate API 1.41', async () => {
    expect(await docker(['version', '--format', '{{.Server.APIVersion}} {{.Server.Os}}'])).toBe('1.41 linux');
    expect(await docker(['version', '--format', '{{.Client.APIVersion}}'])).toBe('1.41');
    if (DOCKER_20)
      expect(await docker(['version', '--format', '{{.Server.APIVersion}}'], DOCKER_20)).toBe('1.41');
  });

  it('info reports the engine as docker info shows it', async () => {
    const info = JSON.parse(await docker(['info', '--format', '{{json .}}']));
    expect(info).toMatchObject({
      Driver: 'overlay2',
      CgroupDriver: 'cgroupfs',
      DockerRootDir: engine.dataRoot,
      OSType: 'linux',
      Swarm: { LocalNodeState: 'inactive' },
    });
    expect(['crun', 'runc']).toContain(info.DefaultRuntime);
    expect(await docker(['info', '--format', '{{.Containers}} {{.ContainersRunning}}'])).toMatch(/^\d+ \d+$/);
  });

  it('volume create, ls with filters, inspect, rm', async () => {
    expect(await docker(['volume', 'create', '--label', 'tier=db', `${p}-db`])).toBe(`${p}-db`);
    expect(await docker(['volume', 'create', '--label', 'tier=web', `${p}-web`])).toBe(`${p}-web`);
    const opts = ['-d', 'local', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m'];
    expect(await docker(['volume', 'create', ...opts, `${p}-tmp`])).toBe(`${p}-tmp`);
    const ls = (args: string[]) =>
      docker(['volume', 'ls', '-q', ...args]).then((o) => o.split('\n').filter(Boolean));
    expect(await ls(['--filter', `name=${p}`])).toEqual([`${p}-db`, `${p}-tmp`, `${p}-web`].sort());
    expect(await ls(['--filter', 'label=tier=db'])).toEqual([`${p}-db`]);
    expect(await ls(['--filter', 'dangling=true', '--filter', `name=${p}-w`])).toEqual([`${p}-web`]);
    const [inspect] = JSON.parse(await docker(['volume', 'inspect', `${p}-tmp`]));
    expect(inspect).toMatchObject({
      Name: `${p}-tmp`,
      Driver: 'local',
      Scope: 'local',
      Options: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' },
    });
    expect(inspect.Mountpoint).toBe(`${engine.dataRoot}/volumes/${p}-tmp/_data`);
    expect(await docker(['volume', 'rm', `${p}-tmp`])).toBe(`${p}-tmp`);
    const missing = await dockerFails(['volume', 'inspect', `${p}-tmp`]);
    expect(missing.stderr).toMatch(/no such volume/);
    expect((await dockerFails(['volume', 'create', '-d', 'weird', `${p}-x`])).stderr).toMatch(
      /plugin "weird" not found/,
    );
  });

  it('volume prune removes what nothing uses and reports it', async () => {
    await docker(['volume', 'create', '--label', 'prunable=yes', `${p}-gone`]);
    const out = await docker(['volume', 'prune', '-f', '--filter', 'label=prunable=yes']);
    expect(out).toContain(`${p}-gone`);
    expect(out).toMatch(/Total reclaimed space/);
    expect(await docker(['volume', 'ls', '-q', '--filter', `name=${p}-gone`])).toBe('');
  });

  it('events: replay with --since/--until and filters', async () => {
    const since = (Date.now() / 1000 - 1).toFixed(3);
    await docker(['volume', 'create', `${p}-ev`]);
    await docker(['volume', 'rm', `${p}-ev`]);
    const until = (Date.now() / 1000 + 0.5).toFixed(3);
    const fmt = ['--format', '{{.Type}} {{.Action}} {{.Actor.ID}}'];
    const all = await docker(['events', '--since', since, '--until', until, ...fmt]);
    expect(all.split('\n')).toEqual(
      expect.arrayContaining([`volume create ${p}-ev`, `volume destroy ${p}-ev`]),
    );
    const destroys = await docker([
      'events',
      '--since',
      since,
      '--until',
      until,
      '--filter',
      'event=destroy',
      ...fmt,
    ]);
    expect(destroys.split('\n').filter((l) => l.includes(`${p}-ev`))).toEqual([`volume destroy ${p}-ev`]);
    const none = await docker([
      'events',
      '--since',
      since,
      '--until',
      until,
      '--filter',
      'type=network',
      ...fmt,
    ]);
    expect(none.split('\n').filter((l) => l.includes(`${p}-ev`))).toEqual([]);
  });

  it('events: a live stream delivers what happens while it is open', async () => {
    const child = spawn(
      DOCKER,
      ['events', '--filter', 'type=volume', '--format', '{{.Action}} {{.Actor.ID}}'],
      {
        env: { ...process.env, DOCKER_HOST: engine.host },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(async () => {
        await docker(['volume', 'create', `${p}-live`]);
        expect(out).toContain(`create ${p}-live`);
      });
      await docker(['volume', 'rm', `${p}-live`]);
      await eventually(() => expect(out).toContain(`destroy ${p}-live`));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('docker-py (list-encoded filters, unversioned /version) sees the same volumes and networks', async () => {
    const script = [
      'import docker, json, sys',
      `c = docker.DockerClient(base_url=${JSON.stringify(engine.host)}, version='auto')`,
      `c.volumes.create(${JSON.stringify(`${p}-py`)}, labels={'via': 'py'})`,
      "names = [v.name for v in c.volumes.list(filters={'label': ['via=py']})]",
      `n = c.networks.create(${JSON.stringify(`${p}-pynet`)}, labels={'via': 'py'})`,
      "nets = [x.name for x in c.networks.list(filters={'label': ['via=py'], 'type': ['custom']})]",
      'n.remove()',
      "print(json.dumps({'api': c.version()['ApiVersion'], 'names': names, 'nets': nets}))",
      `c.volumes.get(${JSON.stringify(`${p}-py`)}).remove()`,
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script]);
    expect(JSON.parse(stdout)).toEqual({ api: '1.41', names: [`${p}-py`], nets: [`${p}-pynet`] });
  });

  it('events: container events filtered by name and by label (matched on the actor attributes)', async () => {
    await docker(['import', '--change', 'CMD ["sh"]', busyboxRootfsTar(), `${p}/bb:latest`]);
    const since = (Date.now() / 1000 - 1).toFixed(3);
    await docker(['run', '--rm', '--name', `${p}-one`, '--label', `suite=${p}`, `${p}/bb`, 'true']);
    await docker(['run', '--rm', '--name', `${p}-two`, `${p}/bb`, 'true']);
    const until = (Date.now() / 1000 + 0.5).toFixed(3);
    const fmt = ['--format', '{{.Action}} {{.Actor.Attributes.name}}'];
    const window = ['--since', since, '--until', until];
    const byName = await docker(['events', ...window, '--filter', `container=${p}-two`, ...fmt]);
    expect(byName.split('\n')).toEqual(
      expect.arrayContaining([`start ${p}-two`, `die ${p}-two`, `destroy ${p}-two`]),
    );
    expect(byName).not.toContain(`${p}-one`);
    const byLabel = await docker([
      'events',
      ...window,
      '--filter',
      `label=suite=${p}`,
      '--filter',
      'event=die',
      ...fmt,
    ]);
    expect(byLabel).toBe(`die ${p}-one`);
    await docker(['rmi', `${p}/bb:latest`]);
  });

  it('volumes in use: refused removal, dangling filter, and option volumes mounted only while used', async () => {
    await docker(['import', '--change', 'CMD ["sh"]', busyboxRootfsTar(), `${p}/bb2:latest`]);
    const tmpOpts = ['-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=2m'];
    await docker(['volume', 'create', ...tmpOpts, `${p}-scratch`]);
    const id = await docker([
      'run',
      '-d',
      '-v',
      `${p}-used:/data`,
      '-v',
      `${p}-scratch:/scratch`,
      `${p}/bb2`,
      'sleep',
      '60',
    ]);
    expect((await dockerFails(['volume', 'rm', `${p}-used`])).stderr).toMatch(/volume is in use/);
    expect(await docker(['info', '--format', '{{.ContainersRunning}} {{.Images}}'])).toBe('1 1');
    expect(await docker(['volume', 'ls', '-q', '--filter', 'dangling=false', '--filter', `name=${p}`])).toBe(
      [`${p}-scratch`, `${p}-used`].join('\n'),
    );
    const fsType = await docker(['exec', id, 'sh', '-c', 'grep " /scratch " /proc/mounts | cut -d" " -f3']);
    expect(fsType).toBe('tmpfs');
    await docker(['exec', id, 'sh', '-c', 'head -c 5000 /dev/zero > /data/blob']);
    // /system/df: the image in use, the volumes with their sizes and users; docker system df reads it.
    const df = (await engine.client.request('GET', '/system/df')).body as {
      LayersSize: number;
      Images: Array<{ RepoTags: string[]; Containers: number; Size: number }>;
      Volumes: Array<{ Name: string; UsageData: { Size: number; RefCount: number } }>;
      BuildCache: unknown[];
    };
    expect(df.BuildCache).toEqual([]);
    expect(df.Images).toEqual([expect.objectContaining({ RepoTags: [`${p}/bb2:latest`], Containers: 1 })]);
    expect(df.LayersSize).toBe(df.Images[0]?.Size);
    const usage = (name: string) => df.Volumes.find((v) => v.Name === name)?.UsageData;
    expect(usage(`${p}-used`)).toEqual({ Size: 5000, RefCount: 1 });
    expect(usage(`${p}-db`)).toEqual({ Size: 0, RefCount: 0 });
    expect(await docker(['system', 'df', '--format', '{{.Type}} {{.TotalCount}} {{.Active}}'])).toMatch(
      /^Images 1 1\n/,
    );
    await docker(['rm', '-f', id]);
    await eventually(() => engine.assertNoLeaks());
    expect(await docker(['volume', 'rm', `${p}-used`, `${p}-scratch`])).toBe(`${p}-used\n${p}-scratch`);
    await docker(['rmi', `${p}/bb2:latest`]);
  });

  it('cleans up what it made', async () => {
    await docker(['volume', 'rm', `${p}-db`, `${p}-web`]);
    expect(await docker(['volume', 'ls', '-q', '--filter', `name=${p}`])).toBe('');
  });
});
