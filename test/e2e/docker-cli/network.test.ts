import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';

const run = promisify(execFile);
const DOCKER = '/usr/local/bin/docker';

/** What of the engine's network plumbing (named by its bridge) is still on the machine. */
function plumbingLeft(bridge: string): string[] {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  const rules = execFileSync('iptables-save', { encoding: 'utf8' });
  return [
    ...links.split('\n').filter((l) => l.includes(` ${bridge}:`)),
    ...rules.split('\n').filter((l) => l.includes(bridge)),
  ];
}

// The real docker CLI against the embedded engine: network create/ls/inspect/connect/disconnect/rm.
describe('docker CLI: networks on the embedded engine', () => {
  let engine: EmbeddedEngine;
  let bridge: string;
  const docker = async (args: string[]) => {
    const { stdout } = await run(DOCKER, args, {
      env: { ...process.env, DOCKER_HOST: engine.host, DOCKER_BUILDKIT: '0' },
    });
    return stdout.trim();
  };
  const dockerFails = async (args: string[]) => {
    try {
      await docker(args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    throw new Error(`docker ${args.join(' ')} succeeded`);
  };

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    bridge = JSON.parse(await docker(['network', 'inspect', 'bridge']))[0].Options[
      'com.docker.network.bridge.name'
    ];
  });
  afterAll(async () => {
    await engine?.stop();
    if (bridge) expect(plumbingLeft(bridge)).toEqual([]);
  });

  it('lists the predefined networks', async () => {
    const names = (await docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}}'])).split('\n').sort();
    expect(names).toEqual(['bridge bridge', 'host host', 'none null']);
    expect(bridge).toMatch(/^\w+$/);
    expect(await dockerFails(['network', 'rm', 'bridge'])).toContain(
      'bridge is a pre-defined network and cannot be removed',
    );
  });

  it('creates, filters, inspects (echoing what was given) and removes a network', async () => {
    const name = `${engine.prefix}-net`;
    const third = 100 + Math.floor(Math.random() * 150);
    const subnet = `10.${third}.${Math.floor(Math.random() * 250)}.0/24`;
    const id = await docker([
      'network',
      'create',
      '--label',
      'com.example=yes',
      '--subnet',
      subnet,
      '--opt',
      'com.example.opt=1',
      '--internal',
      name,
    ]);
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    expect(await docker(['network', 'ls', '-q', '--no-trunc', '--filter', 'label=com.example=yes'])).toBe(id);
    expect(
      await docker(['network', 'ls', '-q', '--filter', 'type=custom', '--filter', `name=${engine.prefix}`]),
    ).toBe(id.slice(0, 12));
    const inspect = JSON.parse(await docker(['network', 'inspect', name]))[0];
    expect(inspect).toMatchObject({
      Id: id,
      Name: name,
      Driver: 'bridge',
      Internal: true,
      Labels: { 'com.example': 'yes' },
      Options: { 'com.example.opt': '1' },
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
    });
    expect(await dockerFails(['network', 'create', name])).toContain(
      `network with name ${name} already exists`,
    );
    const bridgeName = `br-${id.slice(0, 12)}`;
    expect(execFileSync('ip', ['-o', 'link', 'show', bridgeName], { encoding: 'utf8' })).toContain(
      bridgeName,
    );
    await docker(['network', 'rm', name]);
    expect(await dockerFails(['network', 'inspect', name])).toMatch(/No such network|not found/);
    expect(plumbingLeft(bridgeName)).toEqual([]);
  });

  it('prunes unused networks by label', async () => {
    await docker(['network', 'create', '--label', 'prune=me', `${engine.prefix}-p1`]);
    await docker(['network', 'create', `${engine.prefix}-keep`]);
    const out = await docker(['network', 'prune', '-f', '--filter', 'label=prune=me']);
    expect(out).toContain(`${engine.prefix}-p1`);
    expect(
      await docker(['network', 'ls', '--format', '{{.Name}}', '--filter', `name=${engine.prefix}`]),
    ).toBe(`${engine.prefix}-keep`);
    await docker(['network', 'rm', `${engine.prefix}-keep`]);
  });
});
