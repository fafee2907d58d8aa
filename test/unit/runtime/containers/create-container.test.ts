import { describe, expect, it } from 'vitest';
import type { ContainerRecord } from '../../../../runtime/containers/container-record.js';
import { planCreate } from '../../../../runtime/containers/create-container.js';
import { etcFiles } from '../../../../runtime/containers/etc-files.js';
import { containerFilter } from '../../../../runtime/containers/list-filters.js';
import { canonicalName, generateName } from '../../../../runtime/containers/names.js';
import type { ImageRecord } from '../../../../runtime/contracts.js';

const image: ImageRecord = {
  id: `sha256:${'b'.repeat(64)}`,
  repoTags: ['app:1'],
  repoDigests: [],
  config: {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [] },
    config: {
      Env: ['PATH=/bin', 'MODE=prod'],
      Entrypoint: ['/entry'],
      Cmd: ['serve'],
      WorkingDir: '/app',
      User: 'app',
      Labels: { from: 'image', tier: 'x' },
      StopSignal: 'SIGQUIT',
      Volumes: { '/data': {} },
      ExposedPorts: { '80/tcp': {} },
    },
  },
};
const id = 'c'.repeat(64);
const plan = (body: object) =>
  planCreate({ Image: 'app:1', ...body }, image, id, '/x', '2026-01-01T00:00:00.000Z');

describe('planCreate applies image defaults as Docker does', () => {
  it('inherits command, env, workdir, user, labels, stop signal, volumes and ports', () => {
    const { record } = plan({
      Env: ['MODE=dev'],
      Labels: { tier: 'web' },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostPort: '1' }] } },
    });
    expect(record.Path).toBe('/entry');
    expect(record.Args).toEqual(['serve']);
    expect(record.Config.Env).toEqual(['PATH=/bin', 'MODE=dev']);
    expect(record.Config).toMatchObject({
      WorkingDir: '/app',
      User: 'app',
      StopSignal: 'SIGQUIT',
      Hostname: id.slice(0, 12),
    });
    expect(record.Config.Labels).toEqual({ from: 'image', tier: 'web' });
    expect(Object.keys(record.Config.ExposedPorts ?? {}).sort()).toEqual(['80/tcp', '8080/tcp']);
    expect(record.HostConfig.NetworkMode).toBe('default');
    expect(record.State.Status).toBe('created');
  });

  it('validates what would fail later with a 400', () => {
    expect(() => plan({ HostConfig: { RestartPolicy: { Name: 'sometimes' } } })).toThrow(/unknown policy/);
    expect(() => plan({ HostConfig: { RestartPolicy: { Name: 'always' }, AutoRemove: true } })).toThrow(
      /AutoRemove/,
    );
    expect(() => plan({ WorkingDir: 'rel' })).toThrow(/absolute path/);
    expect(() => plan({ HostConfig: { Binds: ['/a:/'] } })).toThrow();
    expect(() => plan({ HostConfig: { Memory: 10 } })).toThrow(/Minimum memory/);
    expect(() => plan({ Entrypoint: [''], Cmd: [] })).toThrow(/No command specified/);
  });
});

describe('names and lookups', () => {
  it('stores names with a slash, refuses bad ones, generates unused ones deterministically', () => {
    expect(canonicalName('web-1')).toBe('/web-1');
    expect(() => canonicalName('-bad')).toThrow(/Invalid container name/);
    expect(() => canonicalName('a')).toThrow();
    const seq = [0, 0, 0, 0.5];
    let i = 0;
    const random = () => seq[i++ % seq.length] ?? 0;
    expect(generateName((n) => n === '/admiring_albattani', random)).toBe('/admiring_hypatia');
  });
});

describe('etc files and list filters', () => {
  const record = plan({ HostConfig: { ExtraHosts: ['db:10.0.0.2'], Dns: ['9.9.9.9'] } })
    .record as ContainerRecord;
  it('writes hosts with ExtraHosts and the own name, resolv.conf from Dns', () => {
    const files = etcFiles(record, undefined, 'nameserver 127.0.0.53\nsearch lan\n');
    expect(files.hosts).toContain('10.0.0.2\tdb');
    expect(files.hosts).toContain(`127.0.1.1\t${id.slice(0, 12)}`);
    expect(files.resolvConf).toBe('nameserver 9.9.9.9\nsearch lan\n');
    expect(files.hostname).toBe(`${id.slice(0, 12)}\n`);
  });
  it('writes ExtraHosts once when the network attachment already lists them', () => {
    const hosts: Array<[string, ...string[]]> = [
      ['10.0.0.2', 'db'],
      ['172.30.0.5', 'web'],
    ];
    const files = etcFiles(record, { hosts, resolvConf: 'nameserver 172.30.0.1\n' }, '');
    expect(files.hosts.match(/10\.0\.0\.2\tdb/g)).toHaveLength(1);
    expect(files.resolvConf).toBe('nameserver 172.30.0.1\n');
  });
  it('filters by label, status, exited and name; refuses unknown keys', () => {
    const fx = { imageMatches: () => true, networksOf: () => ['bridge'] };
    expect(containerFilter({ label: ['tier=x'] }, fx)(record)).toBe(true);
    expect(containerFilter({ status: ['running'] }, fx)(record)).toBe(false);
    expect(containerFilter({ name: ['^x$'] }, fx)(record)).toBe(true);
    expect(containerFilter({ network: ['bridge'] }, fx)(record)).toBe(true);
    expect(() => containerFilter({ colour: ['red'] }, fx)).toThrow(/invalid filter/);
    expect(() => containerFilter({ status: ['sleepy'] }, fx)).toThrow();
  });
});
