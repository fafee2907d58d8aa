import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBerthError } from '../../../src/errors/kinds.js';
import { desiredIdentity } from '../../../src/reconcile/container-labels.js';
import { inlineFiles } from '../../../src/reconcile/inline-files.js';
import { tarOfFiles } from '../../../src/reconcile/tar-files.js';
import { service } from './fixtures.js';

const SOURCES = {
  secrets: {
    token: { name: 'p_token', environment: 'TOKEN', labels: {} },
    cert: { name: 'p_cert', file: '/srv/cert.pem', labels: {} },
  },
  configs: { app: { name: 'p_app', content: 'key=1\n', labels: {} } },
  environment: { TOKEN: 's3cret' },
};

describe('inline secrets and configs', () => {
  it('gives environment: and content: values, leaving file-based ones to binds', () => {
    const s = service('web', {
      secrets: [
        { source: 'token' },
        { source: 'cert' },
        { source: 'token', target: 'alias', uid: '100', mode: 0o400 },
      ],
      configs: [{ source: 'app' }, { source: 'app', target: '/etc/app.conf', gid: '7' }],
    });
    expect(inlineFiles(s, SOURCES)).toEqual([
      { path: '/run/secrets/token', content: 's3cret', mode: 0o444, uid: 0, gid: 0 },
      { path: '/run/secrets/alias', content: 's3cret', mode: 0o400, uid: 100, gid: 0 },
      { path: '/app', content: 'key=1\n', mode: 0o444, uid: 0, gid: 0 },
      { path: '/etc/app.conf', content: 'key=1\n', mode: 0o444, uid: 0, gid: 7 },
    ]);
  });

  it('recreates on a changed value: a digest of the values joins the hash, never the values', () => {
    const s = service('web', { secrets: [{ source: 'token' }] });
    const before = desiredIdentity(s, 'sha256:1', SOURCES);
    const after = desiredIdentity(s, 'sha256:1', { ...SOURCES, environment: { TOKEN: 'other' } });
    expect(after.hash).not.toBe(before.hash);
    expect(JSON.stringify(before.config)).not.toContain('s3cret');
    const plain = service('api');
    expect(desiredIdentity(plain, 'sha256:1', SOURCES)).toEqual(desiredIdentity(plain, 'sha256:1'));
  });

  it('refuses a secret whose variable is not set, naming it and the service', () => {
    const s = service('web', { secrets: [{ source: 'token' }] });
    let err: unknown;
    try {
      inlineFiles(s, { ...SOURCES, environment: {} });
    } catch (e) {
      err = e;
    }
    expect(isBerthError(err, 'invalid')).toBe(true);
    expect((err as Error).message).toBe(
      'secret "token" cannot be given to the container: environment variable TOKEN is not set',
    );
  });

  it('writes a ustar archive that tar reads back with names, contents and modes', () => {
    const long = `/${'d'.repeat(120)}/${'f'.repeat(60)}`;
    const tar = tarOfFiles([
      { path: '/run/secrets/token', content: 's3cret', mode: 0o440, uid: 0, gid: 0 },
      { path: long, content: 'x'.repeat(600), mode: 0o444, uid: 0, gid: 0 },
    ]);
    expect(tar.length % 512).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
    try {
      const res = spawnSync('tar', ['-x', '-C', dir, '--no-same-owner'], { input: tar });
      expect(res.status, String(res.stderr)).toBe(0);
      expect(readFileSync(join(dir, 'run/secrets/token'), 'utf8')).toBe('s3cret');
      expect(statSync(join(dir, 'run/secrets/token')).mode & 0o777).toBe(0o440);
      expect(readFileSync(join(dir, long), 'utf8')).toBe('x'.repeat(600));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
