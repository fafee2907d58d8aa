import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../src/errors/kinds.js';
import { normalizeProject } from '../../../src/loader/normalize/index.js';
import { context, service } from './helpers.js';

describe('environment, env_file and labels', () => {
  it('reads lists and maps; a bare name takes the process environment at run time', () => {
    expect(service('{ image: x, environment: [A=1, B, C=x=y, D=] }').environment).toEqual({
      A: '1',
      B: null,
      C: 'x=y',
      D: '',
    });
    expect(service('{ image: x, environment: { A: 1, B: null, C: true, D: "" } }').environment).toEqual({
      A: '1',
      B: null,
      C: 'true',
      D: '',
    });
  });

  it('loads env_file entries in order, under environment', () => {
    const files: Record<string, Record<string, string>> = {
      '/srv/demo/a.env': { A: 'from-a', B: 'from-a' },
      '/srv/demo/b.env': { B: 'from-b', C: 'from-b' },
    };
    const seen: Array<[string, boolean]> = [];
    const readEnvFile = (path: string, required: boolean) => {
      seen.push([path, required]);
      return files[path];
    };
    const s = service(
      '{ image: x, env_file: [a.env, { path: b.env }, { path: gone.env, required: false }], environment: { C: mine } }',
      {
        readEnvFile,
      },
    );
    expect(s.environment).toEqual({ A: 'from-a', B: 'from-b', C: 'mine' });
    expect(seen).toEqual([
      ['/srv/demo/a.env', true],
      ['/srv/demo/b.env', true],
      ['/srv/demo/gone.env', false],
    ]);
    expect(
      service('{ image: x, env_file: ./one.env }', { readEnvFile: () => ({ X: '1' }) }).environment,
    ).toEqual({
      X: '1',
    });
  });

  it('resolves bare names from the project environment; unresolved ones do not hide env_file values', () => {
    const environment = { HOME: '/home/me', TOKEN: 'from-shell' };
    const readEnvFile = () => ({ TOKEN: 'from-file', LEVEL: 'from-file' });
    const s = service('{ image: x, environment: [TOKEN, LEVEL, UNSET, HOME], env_file: a.env }', {
      environment,
      readEnvFile,
    });
    expect(s.environment).toEqual({ TOKEN: 'from-shell', LEVEL: 'from-file', UNSET: null, HOME: '/home/me' });
    // The same whatever the order of the keys.
    const t = service('{ image: x, env_file: a.env, environment: [TOKEN, LEVEL, UNSET, HOME] }', {
      environment,
      readEnvFile,
    });
    expect(t.environment).toEqual(s.environment);
    expect(service('{ build: { context: ., args: [HOME, NOPE] } }', { environment }).build?.args).toEqual({
      HOME: '/home/me',
      NOPE: null,
    });
  });

  it('keeps keys such as __proto__ as plain entries', () => {
    const tree = JSON.parse(
      '{"services":{"s":{"image":"x","environment":{"__proto__":"x","A":"1"},"labels":["__proto__=y"]}}}',
    );
    const s = normalizeProject(tree, context()).services.s;
    expect(Object.getPrototypeOf(s.environment)).toBe(Object.prototype);
    expect(Object.entries(s.environment)).toEqual([
      ['__proto__', 'x'],
      ['A', '1'],
    ]);
    expect(Object.entries(s.labels)).toEqual([['__proto__', 'y']]);
  });

  it('passes the reader error for a missing required env_file through', () => {
    const readEnvFile = () => {
      throw new BerthError('not-found', 'env file /srv/demo/nope.env not found', {
        location: 'compose.yaml:3:16',
      });
    };
    expect(() => service('{ image: x, env_file: nope.env }', { readEnvFile })).toThrow(/nope\.env not found/);
  });

  it('reads labels, label_file and annotations as maps of strings', () => {
    const s = service('{ image: x, labels: [a=1, b], label_file: l.env, annotations: { c: 2 } }', {
      readEnvFile: () => ({ a: 'file', z: 'file' }),
    });
    expect(s.labels).toEqual({ a: '1', b: '', z: 'file' });
    expect(s.annotations).toEqual({ c: '2' });
  });
});
