import { describe, expect, it } from 'vitest';
import {
  assignmentKey,
  envFileKey,
  fileRefKey,
  mountTargetKey,
  portKey,
} from '../../../src/loader/merge/unique-keys.js';
import { rebasePath } from '../../../src/loader/rebase-paths.js';

describe('identity of sequence items when files merge', () => {
  it.each([
    [80, '||80|tcp'],
    ['80', '||80|tcp'],
    ['8080:80', '|8080|80|tcp'],
    ['8080:80/udp', '|8080|80|udp'],
    ['127.0.0.1:8080:80', '127.0.0.1|8080|80|tcp'],
    ['[::1]:8080:80', '::1|8080|80|tcp'],
    ['8000-8010:8000-8010', '|8000-8010|8000-8010|tcp'],
    [{ target: 80, published: '8080' }, '|8080|80|tcp'],
    [{ target: 53, protocol: 'udp', host_ip: '0.0.0.0' }, '0.0.0.0||53|udp'],
  ])('port %j is %s', (item, key) => {
    expect(portKey(item)).toBe(key);
  });

  it.each([
    ['/data', '/data'],
    ['./src:/app/', '/app'],
    ['cache:/cache:ro', '/cache'],
    [{ type: 'bind', source: '.', target: '/srv/' }, '/srv'],
    [{ type: 'tmpfs' }, undefined],
  ])('mount %j targets %s', (item, key) => {
    expect(mountTargetKey(item)).toBe(key);
  });

  it('places secrets under /run/secrets and configs at the root by default', () => {
    expect(fileRefKey('/run/secrets')('token')).toBe('/run/secrets/token');
    expect(fileRefKey('/run/secrets')({ source: 'token', target: 'api' })).toBe('/run/secrets/api');
    expect(fileRefKey('/run/secrets')({ source: 'token', target: '/etc/t' })).toBe('/etc/t');
    expect(fileRefKey('')({ source: 'conf' })).toBe('/conf');
  });

  it('keys assignments and env files', () => {
    expect(assignmentKey('=')('A=1=2')).toBe('A');
    expect(assignmentKey('=')('BARE')).toBe('BARE');
    expect(assignmentKey('=:')('host:10.0.0.1')).toBe('host');
    expect(assignmentKey('=:')('host=::1')).toBe('host');
    expect(envFileKey({ path: 'a.env', required: false })).toBe('a.env');
    expect(envFileKey('a.env')).toBe('a.env');
  });
});

describe('rebasePath', () => {
  it.each([
    ['./ctx', '/p/common', '/p/app', '../common/ctx'],
    ['ctx', '/p/common', '/p/app', '../common/ctx'],
    ['.', '/p/app/sub', '/p/app', './sub'],
    ['./x', '/p/app', '/p/app', './x'],
    ['../x', '/p/app/sub', '/p/app', './x'],
    ['/abs/path', '/p/common', '/p/app', '/abs/path'],
    ['~/cache', '/p/common', '/p/app', '~/cache'],
    ['https://github.com/a/b.git#main', '/p/common', '/p/app', 'https://github.com/a/b.git#main'],
  ])('%s from %s seen from %s is %s', (path, from, to, expected) => {
    expect(rebasePath(path, from, to)).toBe(expected);
  });
});
