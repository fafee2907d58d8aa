import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../src/errors/kinds.js';
import { parseRawEnvFile } from '../../../src/loader/env-file-raw.js';
import { loadProject } from '../../../src/loader/load-project.js';
import { envFileReader } from '../../../src/loader/read-files.js';
import { rejection, stackDir } from './stack-dir.js';

describe('parseRawEnvFile (env_file format: raw)', () => {
  it('takes values exactly as written', () => {
    const text = [
      '\uFEFF# a comment',
      'QUOTED="a b"',
      "SINGLE='x'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a raw value keeps Compose's syntax
      'DOLLAR=$HOME and ${X:-y}',
      'HASH=a # not a comment',
      '  INDENTED=v  ',
      'EMPTY=',
      'EQUALS=a=b=c',
      'CRLF=x\r',
      '',
      '   ',
    ].join('\n');
    expect(parseRawEnvFile(text, 'raw.env')).toEqual({
      QUOTED: '"a b"',
      SINGLE: "'x'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a raw value keeps Compose's syntax
      DOLLAR: '$HOME and ${X:-y}',
      HASH: 'a # not a comment',
      INDENTED: 'v  ',
      EMPTY: '',
      EQUALS: 'a=b=c',
      CRLF: 'x',
    });
  });

  it('takes a bare name from the environment, and leaves it out when unset', () => {
    const lookup = (name: string) => (name === 'SET' ? 'from-env' : undefined);
    expect(parseRawEnvFile('SET\nUNSET\n', 'raw.env', lookup)).toEqual({ SET: 'from-env' });
  });

  it.each([
    ['A B=1\n', 'raw.env:1:1'],
    ['OK=1\n  =2\n', 'raw.env:2:3'],
  ])('rejects the bad name in %j at %s', (text, location) => {
    const err = (() => {
      try {
        parseRawEnvFile(text, 'raw.env');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).context.location).toBe(location);
  });
});

describe('envFileReader formats', () => {
  it('reads env (default) and raw files, and refuses an unknown format naming it', () => {
    const root = stackDir({ 'a.env': 'A="quoted $X"\n' });
    const read = envFileReader(root, (name) => (name === 'X' ? 'x' : undefined));
    expect(read('a.env', true)).toEqual({ A: 'quoted x' });
    expect(read('a.env', true, 'env')).toEqual({ A: 'quoted x' });
    expect(read(join(root, 'a.env'), true, 'raw')).toEqual({ A: '"quoted $X"' });
    expect(read('missing.env', false, 'raw')).toBeUndefined();
    expect(() => read('a.env', true, 'yaml')).toThrow(/unsupported env_file format "yaml"/);
  });
});

describe('env_file entries with format: raw in a stack file', () => {
  it('reads a raw entry as written and an env entry as Compose does; environment wins', async () => {
    const root = stackDir({
      'compose.yaml': [
        'services:',
        '  app:',
        '    image: busybox',
        '    env_file:',
        '      - path: raw.env',
        '        format: raw',
        '      - parsed.env',
        '    environment:',
        '      WINS: from-environment',
        '',
      ].join('\n'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a raw value keeps Compose's syntax
      'raw.env': 'QUOTED=\'a b\'\nESCAPED="x\\ny"\nTEMPLATE=$HOME-${X:-d}\nHASH=v # kept\nWINS=raw\n',
      'parsed.env': "PARSED='a b'\n",
    });
    const project = await loadProject({ cwd: root, env: { HOME: '/home/u' } });
    expect(project.services.app?.environment).toEqual({
      QUOTED: "'a b'",
      ESCAPED: '"x\\ny"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a raw value keeps Compose's syntax
      TEMPLATE: '$HOME-${X:-d}',
      HASH: 'v # kept',
      PARSED: 'a b',
      WINS: 'from-environment',
    });
  });

  it('refuses an unknown format at the entry that names it', async () => {
    const root = stackDir({
      'compose.yaml':
        'services:\n  app:\n    image: busybox\n    env_file:\n      - path: a.env\n        format: toml\n',
      'a.env': 'A=1\n',
    });
    const err = await rejection(loadProject({ cwd: root, env: {} }));
    const problem = [err, ...err.details].find((e) => /env_file format/.test(e.message));
    expect(problem?.message).toBe('unsupported env_file format "toml": use "env" or "raw"');
    expect(problem?.context).toMatchObject({ path: 'services.app.env_file', service: 'app' });
    expect(problem?.context.location).toMatch(/compose\.yaml:4:5$/);
  });
});
