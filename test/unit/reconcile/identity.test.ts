import { describe, expect, it } from 'vitest';
import { unixSeconds } from '../../../src/project/logs.js';
import { configDiff, hashedConfig, serviceConfigHash } from '../../../src/reconcile/config-hash.js';
import { containerLabels, desiredIdentity } from '../../../src/reconcile/container-labels.js';
import { normalizeImageRef } from '../../../src/reconcile/image-ref.js';
import { buildConfig, project, service } from './fixtures.js';

describe('the config hash', () => {
  const base = service('web', { image: 'busybox', environment: { A: '1' } });
  const hash = serviceConfigHash(base, 'sha256:1');

  it('ignores what must not force a recreate: build, scale, replicas, depends_on, profiles, pull_policy', () => {
    const same = service('web', {
      image: 'busybox',
      environment: { A: '1' },
      build: buildConfig('/x'),
      scale: 5,
      deploy: { replicas: 5 },
      depends_on: { db: { condition: 'service_started', required: true, restart: false } },
      profiles: ['dev'],
      pull_policy: 'always',
    });
    expect(serviceConfigHash(same, 'sha256:1')).toBe(hash);
  });

  it('changes with the configuration and with the image ID', () => {
    expect(serviceConfigHash({ ...base, environment: { A: '2' } }, 'sha256:1')).not.toBe(hash);
    expect(serviceConfigHash(base, 'sha256:2')).not.toBe(hash);
    expect(
      serviceConfigHash({ ...base, deploy: { resources: { limits: { cpus: '1' } } } }, 'sha256:1'),
    ).not.toBe(hash);
  });

  it('does not depend on the order keys were written in', () => {
    const reordered = service('web', { environment: { A: '1' }, image: 'busybox' });
    expect(serviceConfigHash(reordered, 'sha256:1')).toBe(hash);
  });

  it('names what changed, one level into maps, with the values before and after', () => {
    const before = hashedConfig(base, 'sha256:1');
    const after = hashedConfig({ ...base, environment: { B: '2' }, user: 'nobody' }, 'sha256:2');
    expect(configDiff(before, after)).toEqual([
      { field: 'environment.A', before: '1', after: undefined },
      { field: 'environment.B', before: undefined, after: '2' },
      { field: 'image_id', before: 'sha256:1', after: 'sha256:2' },
      { field: 'user', before: undefined, after: 'nobody' },
    ]);
  });
});

describe('labels', () => {
  it('carries the Compose labels docker compose and docker-compose 1.29 read', () => {
    const p = project([service('web', { image: 'busybox' })]);
    const labels = containerLabels(
      p,
      p.services.web,
      2,
      desiredIdentity(p.services.web, 'sha256:1'),
      'sha256:1',
    );
    expect(labels).toMatchObject({
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '2',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.image': 'sha256:1',
      'com.docker.compose.project.working_dir': '/srv/demo',
      'com.docker.compose.project.config_files': '/srv/demo/compose.yaml',
    });
    expect(labels['com.docker.compose.config-hash']).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('small conversions', () => {
  it('normalizes image references to the form the engine lists', () => {
    expect(normalizeImageRef('busybox')).toBe('busybox:latest');
    expect(normalizeImageRef('docker.io/library/busybox:1.36')).toBe('busybox:1.36');
    expect(normalizeImageRef('registry:5000/app')).toBe('registry:5000/app:latest');
    expect(normalizeImageRef('app@sha256:abc')).toBe('app@sha256:abc');
  });

  it('turns an RFC 3339 time into the engine seconds.nanoseconds form', () => {
    expect(unixSeconds('1970-01-01T00:00:10.5Z')).toBe('10.500000000');
    expect(unixSeconds('2026-11-22T13:10:27.123456789Z')).toBe('1795353027.123456789');
  });
});
