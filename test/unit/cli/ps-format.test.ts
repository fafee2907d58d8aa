import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goTimeString, humanDuration, psJson, psTable } from '../../../src/cli/render/ps-format.js';
import type { ContainerInfo } from '../../../src/project/options.js';
import { toContainerInfo } from '../../../src/project/ps.js';

const GOLDEN = join(import.meta.dirname, 'golden/ps.jsonl');
const CREATED = 1_795_000_000;
const NOW = (CREATED + 150) * 1000;

/** A running web container with a health check, a published port, a volume and a bind mount, as listed. */
const web: ContainerInfo = toContainerInfo({
  Id: 'f00dfeed1234567890abcdef',
  Names: ['/demo-web-1'],
  Image: 'nginx:1.27',
  ImageID: 'sha256:abc',
  Created: CREATED,
  Command: '/docker-entrypoint.sh nginx -g daemon off;',
  State: 'running',
  Status: 'Up 2 minutes (healthy)',
  Labels: {
    'com.docker.compose.service': 'web',
    'com.docker.compose.project': 'demo',
    'com.docker.compose.container-number': '1',
    'com.docker.compose.oneoff': 'False',
  },
  Ports: [
    { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { PrivatePort: 443, Type: 'tcp' },
  ],
  NetworkSettings: { Networks: { demo_front: {}, demo_default: {} } },
  Mounts: [
    {
      Type: 'volume',
      Name: 'demo_static-content',
      Source: '/var/lib/x',
      Destination: '/data',
      Driver: 'local',
    },
    { Type: 'bind', Source: '/srv/conf', Destination: '/etc/nginx/conf.d' },
  ] as never,
});

/** An exited one-shot job. */
const job: ContainerInfo = toContainerInfo({
  Id: '0123456789abcdef0123',
  Names: ['/demo-job-1'],
  Image: 'busybox',
  ImageID: 'sha256:def',
  Created: CREATED - 7200,
  Command: 'true',
  State: 'exited',
  Status: 'Exited (3) 1 hour ago',
  Labels: { 'com.docker.compose.service': 'job', 'com.docker.compose.project': 'demo' },
});

describe('ps rendering', () => {
  it('--format json carries docker compose v2 fields, one object per line (golden)', () => {
    const text = `${[web, job].map((c) => psJson(c, NOW, 'UTC')).join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
    const parsed = JSON.parse(text.split('\n')[0]);
    expect(Object.keys(parsed)).toEqual(Object.keys(parsed).sort());
    expect(parsed.Publishers).toEqual([
      { URL: '127.0.0.1', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
      { URL: '', TargetPort: 443, PublishedPort: 0, Protocol: 'tcp' },
    ]);
  });

  it('the table shows how long ago each container was created, in Docker words', () => {
    expect(psTable([web], NOW).split('\n')[1]).toContain('2 minutes ago');
  });

  it.each([
    [0.4, 'Less than a second'],
    [1, '1 second'],
    [59, '59 seconds'],
    [61, 'About a minute'],
    [3599, '59 minutes'],
    [5400, '2 hours'],
    [86400 * 3, '3 days'],
    [86400 * 20, '2 weeks'],
    [86400 * 90, '3 months'],
    [86400 * 800, '2 years'],
  ])('humanDuration(%d) is %s', (secs, text) => {
    expect(humanDuration(secs)).toBe(text);
  });

  it('CreatedAt reads as Go prints a time', () => {
    expect(goTimeString(CREATED * 1000, 'UTC')).toBe('2026-11-18 11:06:40 +0000 UTC');
    expect(goTimeString(CREATED * 1000, 'America/New_York')).toBe('2026-11-18 06:06:40 -0500 EST');
  });
});
