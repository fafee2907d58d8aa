import { describe, expect, it } from 'vitest';
import { shellSplit } from '../../../src/loader/normalize/shell-split.js';
import {
  formatBytes,
  formatDuration,
  parseBytes,
  parseDuration,
} from '../../../src/loader/normalize/units.js';
import { problemsOf, service } from './helpers.js';

describe('units', () => {
  it.each([
    ['1m30s', 90e9],
    ['1.5s', 1.5e9],
    ['250ms', 250e6],
    ['1h', 3600e9],
    ['10', 10e9],
    ['0', 0],
    ['2us', 2e3],
  ])('duration %s', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
    expect(parseDuration(formatDuration(ns))).toBe(ns);
  });

  it('formats durations compactly', () => {
    expect(formatDuration(90e9)).toBe('1m30s');
    expect(formatDuration(1.5e9)).toBe('1s500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it.each([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    ['100kb', 102400],
    ['2GiB', 2 * 1024 ** 3],
    [1000, 1000],
    ['1000', 1000],
    ['-1', -1],
  ])('size %s', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
    expect(parseBytes(formatBytes(bytes))).toBe(bytes);
  });

  it('rejects bad units', () => {
    expect(() => parseDuration('1x')).toThrow('invalid duration "1x"');
    expect(() => parseBytes('12q')).toThrow('invalid size "12q"');
  });
});

describe('shellSplit', () => {
  it.each([
    ['echo hello world', ['echo', 'hello', 'world']],
    [`sh -c 'echo "a b"'`, ['sh', '-c', 'echo "a b"']],
    ['a "b \\"c\\" d" e\\ f', ['a', 'b "c" d', 'e f']],
    ['  spaced   out  ', ['spaced', 'out']],
    ["empty '' arg", ['empty', '', 'arg']],
  ])('%s', (input, words) => {
    expect(shellSplit(input)).toEqual(words);
  });

  it('rejects unterminated quotes', () => {
    expect(() => shellSplit("echo 'oops")).toThrow(/unterminated single quote/);
  });
});

describe('service attributes', () => {
  it('splits command and entrypoint strings, keeps lists and null', () => {
    const s = service(`{ image: x, command: "sh -c 'sleep 1'", entrypoint: [/init, --] }`);
    expect(s.command).toEqual(['sh', '-c', 'sleep 1']);
    expect(s.entrypoint).toEqual(['/init', '--']);
    expect(service('{ image: x, command: null }').command).toBeNull();
  });

  it('normalizes healthchecks', () => {
    expect(
      service(
        '{ image: x, healthcheck: { test: curl -f localhost, interval: 1m30s, timeout: 5s, retries: "3", start_period: 1s } }',
      ).healthcheck,
    ).toEqual({
      test: ['CMD-SHELL', 'curl -f localhost'],
      interval: 90e9,
      timeout: 5e9,
      retries: 3,
      start_period: 1e9,
    });
    expect(service('{ image: x, healthcheck: { test: [NONE] } }').healthcheck).toEqual({ test: ['NONE'] });
    expect(problemsOf(() => service('{ image: x, healthcheck: { test: [curl], interval: soon } }'))).toEqual([
      'services.s.healthcheck: healthcheck test must start with "CMD", "CMD-SHELL" or "NONE"',
    ]);
  });

  it('reads sizes, cpus, ulimits, extra_hosts, restart and booleans', () => {
    const s = service(
      '{ image: x, shm_size: 64m, mem_limit: 1g, memswap_limit: -1, cpus: "0.5", ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 3 }, extra_hosts: { db: 10.0.0.2, multi: [1.1.1.1, "::1"] }, restart: on-failure:3, tty: "yes", stop_grace_period: 1m }',
    );
    expect(s).toMatchObject({
      shm_size: 64 * 1024 ** 2,
      mem_limit: 1024 ** 3,
      memswap_limit: -1,
      cpus: 0.5,
      ulimits: { nofile: { soft: 1, hard: 2 }, nproc: { soft: 3, hard: 3 } },
      extra_hosts: ['db:10.0.0.2', 'multi:1.1.1.1', 'multi:::1'],
      restart: 'on-failure:3',
      tty: true,
      stop_grace_period: 60e9,
    });
    expect(service('{ image: x, extra_hosts: ["a=1.2.3.4", "b:5.6.7.8"] }').extra_hosts).toEqual([
      'a:1.2.3.4',
      'b:5.6.7.8',
    ]);
    expect(problemsOf(() => service('{ image: x, restart: sometimes, mem_limit: lots }'))).toEqual([
      'services.s.restart: invalid restart policy "sometimes": use no, always, on-failure[:N] or unless-stopped',
      'services.s.mem_limit: invalid size "lots"',
    ]);
  });

  it('reads build as a string or an object, with the context resolved', () => {
    expect(service('{ build: ./app }').build).toEqual({
      context: '/srv/demo/app',
      args: {},
      labels: {},
      cache_from: [],
      extra_hosts: [],
      tags: [],
      platforms: [],
    });
    expect(
      service(
        '{ build: { dockerfile: Dockerfile.dev, args: [A=1, B], target: dev, ssh: [default], shm_size: 1g } }',
      ).build,
    ).toMatchObject({
      context: '/srv/demo',
      dockerfile: 'Dockerfile.dev',
      args: { A: '1', B: null },
      target: 'dev',
      shm_size: 1024 ** 3,
      extensions: { ssh: ['default'] },
    });
    expect(service('{ build: "https://github.com/me/app.git#main" }').build?.context).toBe(
      'https://github.com/me/app.git#main',
    );
  });

  it('keeps secrets and configs references in long form, modes as octal', () => {
    const s = service(
      '{ image: x, secrets: [token, { source: key, target: /k, mode: "0440", uid: "1" }], configs: [{ source: c, mode: "0644" }, { source: d, mode: 0o755 }] }',
    );
    expect(s.secrets).toEqual([{ source: 'token' }, { source: 'key', target: '/k', mode: 0o440, uid: '1' }]);
    expect(s.configs).toEqual([
      { source: 'c', mode: 0o644 },
      { source: 'd', mode: 0o755 },
    ]);
  });

  it('keeps x- keys and uninterpreted attributes in extensions', () => {
    const s = service('{ image: x, x-team: web, blkio_config: { weight: 10 }, develop: { watch: [] } }');
    expect(s.extensions).toEqual({ 'x-team': 'web', blkio_config: { weight: 10 }, develop: { watch: [] } });
  });
});
