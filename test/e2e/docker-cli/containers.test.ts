import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContainerHarness,
  cleanContainers,
  startHarness,
} from '../../conformance/containers/harness.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';

const run = promisify(execFile);

describe('docker CLI against the embedded engine: containers', () => {
  let h: ContainerHarness;
  let bindDir: string;
  beforeAll(async () => {
    h = await startHarness('crun');
    bindDir = mkdtempSync(join(tmpdir(), 'berth-bind-'));
    writeFileSync(join(bindDir, 'f'), 'from the host\n', { mode: 0o644 });
    chmodSync(bindDir, 0o755); // the container runs as nobody
  });
  afterAll(async () => {
    if (h) {
      await cleanContainers(h);
      await h.docker(['rmi', '-f', `${h.engine.prefix}/committed:1`], { allowFailure: true });
      await h.docker(['volume', 'rm', '-f', `${h.engine.prefix}-vol`], { allowFailure: true });
      await h.engine.stop();
    }
    rmSync(bindDir, { recursive: true, force: true });
  });

  it('run -d with -e, -w, -u, --restart, -m, --name, -v; logs; inspect; ps -a', async () => {
    const name = h.name('web');
    const script = 'echo $FOO; pwd; id -u; cat /data/f; test -d /vol && exec sleep 300';
    await h.docker([
      'run',
      '-d',
      '--name',
      name,
      '-e',
      'FOO=bar',
      '-w',
      '/work/dir',
      '-u',
      'nobody',
      '--restart',
      'unless-stopped',
      '-m',
      '64m',
      '-v',
      `${bindDir}:/data:ro`,
      '-v',
      `${h.engine.prefix}-vol:/vol`,
      TEST_IMAGE,
      'sh',
      '-c',
      script,
    ]);
    await eventually(async () => (await h.docker(['logs', name])).stdout.includes('from the host'));
    expect((await h.docker(['logs', name])).stdout).toBe('bar\n/work/dir\n65534\nfrom the host\n');
    const inspect = JSON.parse((await h.docker(['inspect', name])).stdout)[0];
    expect(inspect.Name).toBe(`/${name}`);
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    expect(inspect.Config.Env).toContain('FOO=bar');
    expect(inspect.Mounts.map((m: { Type: string }) => m.Type).sort()).toEqual(['bind', 'volume']);
    expect(inspect.Image).toMatch(/^sha256:[0-9a-f]{64}$/);
    const ps = (await h.docker(['ps', '-a', '--format', '{{.Names}}|{{.Status}}'])).stdout;
    expect(ps).toMatch(new RegExp(`${name}\\|Up `));
  });

  it('run --rm attached prints the output and propagates the exit code, then removes the container', async () => {
    const name = h.name('rm');
    const res = await h.docker(
      ['run', '--rm', '--name', name, TEST_IMAGE, 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3'],
      { allowFailure: true },
    );
    expect(res).toMatchObject({ code: 3, stdout: 'to-out\n', stderr: 'to-err\n' });
    await eventually(async () => (await h.api('GET', `/containers/${name}/json`)).status === 404);
  });

  it('run -i forwards piped stdin and closes it at EOF; run -it gives an interactive terminal', async () => {
    const env = { ...process.env, DOCKER_HOST: h.engine.host };
    const piped = await run(
      'sh',
      ['-c', `printf 'abc\\ndef\\n' | docker run -i --rm ${TEST_IMAGE} sh -c 'cat; echo done'`],
      { env },
    );
    expect(piped.stdout).toBe('abc\ndef\ndone\n');
    const tty = await run(
      'sh',
      [
        '-c',
        `printf 'echo from-tty; exit 3\\n' | script -qec "docker run -it --rm ${TEST_IMAGE} sh" /dev/null`,
      ],
      { env },
    ).catch((e: { code: number; stdout: string }) => e);
    expect((tty as { code?: number }).code).toBe(3);
    expect((tty as { stdout: string }).stdout).toMatch(/from-tty\r?\n/);
  });

  it('exec and exec -it (through a pty), top, pause/unpause, restart, stop, kill, rm -f', async () => {
    const name = h.name('ops');
    await h.docker(['run', '-d', '--name', name, TEST_IMAGE, 'sleep', '300']);
    expect(
      (await h.docker(['exec', '-e', 'X=1', '-w', '/tmp', name, 'sh', '-c', 'echo $X $(pwd)'])).stdout,
    ).toBe('1 /tmp\n');
    const tty = await run('script', ['-qec', `docker exec -it ${name} sh -c 'tty; exit 6'`, '/dev/null'], {
      env: { ...process.env, DOCKER_HOST: h.engine.host },
    }).catch((e: { code: number; stdout: string }) => e);
    expect((tty as { code?: number }).code).toBe(6);
    expect((tty as { stdout: string }).stdout).toMatch(/\/dev\/pts\/\d+/);
    const top = (await h.docker(['top', name])).stdout;
    expect(top).toMatch(/PID/);
    expect(top).toMatch(/sleep 300/);
    await h.docker(['pause', name]);
    expect((await h.inspect(name)).State.Status).toBe('paused');
    await h.docker(['unpause', name]);
    const before = (await h.inspect(name)).State.Pid;
    await h.docker(['restart', '-t', '0', name]);
    const after = await h.inspect(name);
    expect(after.State.Status).toBe('running');
    expect(after.State.Pid).not.toBe(before);
    await h.docker(['stop', '-t', '0', name]);
    expect((await h.inspect(name)).State.Status).toBe('exited');
    await h.docker(['start', name]);
    await h.docker(['kill', name]);
    expect((await h.inspect(name)).State).toMatchObject({ Status: 'exited', ExitCode: 137 });
    await h.docker(['rm', '-f', name]);
    expect((await h.docker(['ps', '-a', '-q', '--filter', `name=${name}`])).stdout).toBe('');
  });

  it('logs -f follows until the container exits', async () => {
    const name = h.name('follow');
    await h.docker([
      'run',
      '-d',
      '--name',
      name,
      TEST_IMAGE,
      'sh',
      '-c',
      'for i in 1 2 3; do echo line$i; sleep 0.3; done',
    ]);
    const res = await h.docker(['logs', '-f', name]);
    expect(res.stdout).toBe('line1\nline2\nline3\n');
  });

  it('commit and export', async () => {
    const name = h.name('commit');
    await h.docker(['run', '--name', name, TEST_IMAGE, 'sh', '-c', 'echo committed > /marker']);
    const ref = `${h.engine.prefix}/committed:1`;
    await h.docker(['commit', '-c', 'CMD ["cat", "/marker"]', name, ref]);
    expect((await h.docker(['run', '--rm', ref])).stdout).toBe('committed\n');
    const tar = await run('sh', ['-c', `docker export ${name} | tar -t`], {
      env: { ...process.env, DOCKER_HOST: h.engine.host },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(tar.stdout.split('\n')).toContain('marker');
  });

  it('cp copies files into and out of running and created containers, volumes included', async () => {
    const running = h.name('cp-run');
    await h.docker([
      'run',
      '-d',
      '--name',
      running,
      '-v',
      `${h.engine.prefix}-cpvol:/vol`,
      TEST_IMAGE,
      'sleep',
      '300',
    ]);
    await h.docker(['cp', join(bindDir, 'f'), `${running}:/tmp/`]);
    await h.docker(['cp', join(bindDir, 'f'), `${running}:/vol/g`]);
    expect((await h.docker(['exec', running, 'cat', '/tmp/f', '/vol/g'])).stdout).toBe(
      'from the host\nfrom the host\n',
    );
    const out = mkdtempSync(join(tmpdir(), 'berth-cp-'));
    try {
      await h.docker(['cp', `${running}:/etc`, out]);
      expect(readdirSync(join(out, 'etc'))).toContain('passwd');
      const missing = await h.docker(['cp', `${running}:/nope`, out], { allowFailure: true });
      expect(missing.stderr).toMatch(/Could not find the file \/nope/);
      const created = (await h.docker(['create', TEST_IMAGE, 'cat', '/f'])).stdout.trim();
      await h.docker(['cp', join(bindDir, 'f'), `${created}:/`]);
      expect((await h.docker(['start', '-a', created])).stdout).toBe('from the host\n');
    } finally {
      rmSync(out, { recursive: true, force: true });
      await h.docker(['rm', '-f', running]);
      await h.docker(['volume', 'rm', '-f', `${h.engine.prefix}-cpvol`], { allowFailure: true });
    }
  });

  it('events streams container lifecycle events with name and image attributes', async () => {
    const name = h.name('events');
    const events = spawn(
      'docker',
      ['events', '--format', '{{.Action}} {{.Actor.Attributes.name}}', '--filter', `container=${name}`],
      {
        env: { ...process.env, DOCKER_HOST: h.engine.host },
      },
    );
    let out = '';
    events.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await eventually(async () => (await h.api('GET', '/_ping')).status === 200);
      await h.docker(['run', '--name', name, TEST_IMAGE, 'true']);
      await h.docker(['rm', name]);
      await eventually(() => out.includes(`destroy ${name}`), { what: 'destroy event' });
      const actions = out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]);
      expect(actions).toEqual(expect.arrayContaining(['create', 'attach', 'start', 'die', 'destroy']));
    } finally {
      events.kill();
    }
  });
  it('docker-py drives containers: run detached, exec_run, logs, list by label, stop, wait, remove; run attached', async () => {
    const name = h.name('py');
    const script = [
      'import docker, json',
      `c = docker.DockerClient(base_url=${JSON.stringify(h.engine.host)}, version='auto')`,
      `img = c.images.get(${JSON.stringify(TEST_IMAGE)})`,
      `k = c.containers.run(img.id, ['sh', '-c', 'echo started; exec sleep 300'], name=${JSON.stringify(name)}, detach=True, labels={'via': 'py'}, environment={'A': 'b'})`,
      "code, out = k.exec_run(['sh', '-c', 'echo $A; exit 4'], user='nobody', workdir='/tmp')",
      "listed = [x.name for x in c.containers.list(filters={'label': 'via=py'})]",
      'k.stop(timeout=1)',
      "waited = k.wait()['StatusCode']",
      'k.reload()',
      'logs = k.logs().decode()',
      'status = k.status',
      'k.remove(v=True)',
      "attached = c.containers.run(img.id, ['echo', 'attached'], remove=True).decode()",
      "print(json.dumps({'exec': [code, out.decode()], 'listed': listed, 'waited': waited, 'status': status, 'logs': logs, 'attached': attached, 'left': [x.name for x in c.containers.list(all=True, filters={'label': 'via=py'})]}))",
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script]);
    expect(JSON.parse(stdout)).toEqual({
      exec: [4, 'b\n'],
      listed: [name],
      waited: 137,
      status: 'exited',
      logs: 'started\n',
      attached: 'attached\n',
      left: [],
    });
  });
});
