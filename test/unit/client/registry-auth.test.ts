import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerConfigPath, loadRegistryAuth } from '../../../src/client/registry-auth.js';

const dirs: string[] = [];

/** A temporary home whose `.docker/config.json` holds `config`. */
function homeWith(config: object): string {
  const home = mkdtempSync(join(tmpdir(), 'berth-home-'));
  dirs.push(home);
  mkdirSync(join(home, '.docker'));
  writeFileSync(join(home, '.docker/config.json'), JSON.stringify(config));
  return home;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('where registry credentials come from', () => {
  it('reads $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/cfg', HOME: '/home/u' })).toBe('/cfg/config.json');
    expect(dockerConfigPath({ HOME: '/home/u' })).toBe('/home/u/.docker/config.json');
  });

  it('finds `docker login` credentials in ~/.docker/config.json by registry host', async () => {
    const auth = Buffer.from('alice:s3cret:with-colon').toString('base64');
    const home = homeWith({
      auths: { 'http://127.0.0.1:5000': { auth }, 'https://index.docker.io/v1/': { auth } },
    });
    expect(await loadRegistryAuth('127.0.0.1:5000', { HOME: home })).toEqual({
      username: 'alice',
      password: 's3cret:with-colon',
      serveraddress: '127.0.0.1:5000',
    });
    expect(await loadRegistryAuth('docker.io', { HOME: home })).toMatchObject({
      username: 'alice',
      serveraddress: 'https://index.docker.io/v1/',
    });
    expect(await loadRegistryAuth('other.example:5000', { HOME: home })).toBeUndefined();
  });

  it('has no credentials without a config file, and names a malformed one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'berth-home-'));
    dirs.push(empty);
    expect(await loadRegistryAuth('127.0.0.1:5000', { HOME: empty })).toBeUndefined();
    const home = homeWith({});
    writeFileSync(join(home, '.docker/config.json'), '{ not json');
    await expect(loadRegistryAuth('127.0.0.1:5000', { HOME: home })).rejects.toMatchObject({
      kind: 'invalid',
      context: { location: join(home, '.docker/config.json') },
    });
  });
});
