import { describe, expect, it } from 'vitest';
import { hoistGlobalFlags } from '../../../src/cli/global-args.js';

const ids = new Set(['config', 'up', 'engine:start', 'engine', 'run', 'ps', 'rm', 'logs']);

describe('hoistGlobalFlags', () => {
  it.each([
    [['config'], ['config']],
    [
      ['-f', '-', 'config'],
      ['config', '--file', '-'],
    ],
    [
      ['-f', 'a.yaml', '-p', 'demo', 'up', '-d'],
      ['up', '--file', 'a.yaml', '--project-name', 'demo', '-d'],
    ],
    [
      ['-p', 'demo', 'run', '-p', '80:80', 'web'],
      ['run', '--project-name', 'demo', '-p', '80:80', 'web'],
    ],
    [
      ['-p=demo', 'ps'],
      ['ps', '--project-name=demo'],
    ],
    [
      ['--file=a.yaml', 'config', '--format', 'json'],
      ['config', '--file=a.yaml', '--format', 'json'],
    ],
    [
      ['-H', 'unix:///x.sock', 'engine', 'start'],
      ['engine', 'start', '-H', 'unix:///x.sock'],
    ],
    [
      ['-f', 'a.yaml', 'run', 'web', 'echo', '-f'],
      ['run', '--file', 'a.yaml', 'web', 'echo', '-f'],
    ],
    [
      ['-f=a.yaml', '-f', 'b.yaml', 'rm', '-f', 'web'],
      ['rm', '--file=a.yaml', '--file', 'b.yaml', '-f', 'web'],
    ],
    [
      ['-f', 'a.yaml', 'logs', '-f'],
      ['logs', '--file', 'a.yaml', '-f'],
    ],
    [['--version'], ['--version']],
    [
      ['-f', 'a.yaml', 'nosuch'],
      ['-f', 'a.yaml', 'nosuch'],
    ],
  ])('%j -> %j', (argv, expected) => {
    expect(hoistGlobalFlags(argv, ids)).toEqual(expected);
  });
});
