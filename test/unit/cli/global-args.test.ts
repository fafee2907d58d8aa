import { describe, expect, it } from 'vitest';
import { hoistGlobalFlags } from '../../../src/cli/global-args.js';

const ids = new Set(['config', 'up', 'engine:start', 'engine', 'run']);

describe('hoistGlobalFlags', () => {
  it.each([
    [['config'], ['config']],
    [
      ['-f', '-', 'config'],
      ['config', '-f', '-'],
    ],
    [
      ['-f', 'a.yaml', '-p', 'demo', 'up', '-d'],
      ['up', '-f', 'a.yaml', '-p', 'demo', '-d'],
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
      ['run', '-f', 'a.yaml', 'web', 'echo', '-f'],
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
