import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/index.js';
import { ValueError } from '../../../src/loader/normalize/problems.js';
import { parseMode } from '../../../src/loader/normalize/volumes.js';
import { parseStackYaml } from '../../../src/loader/parse-yaml.js';
import { stackDir } from './stack-dir.js';

/** A stack whose one service mounts secrets, configs and a tmpfs with the given modes. */
function stackWithModes(secretMode: string, configMode: string, tmpfsMode: string): string {
  return [
    'services:',
    '  app:',
    '    image: busybox',
    `    secrets: [{source: token, mode: ${secretMode}}]`,
    `    configs: [{source: conf, mode: ${configMode}}]`,
    `    volumes: [{type: tmpfs, target: /scratch, tmpfs: {mode: ${tmpfsMode}}}]`,
    'secrets: {token: {file: ./token}}',
    'configs: {conf: {file: ./conf}}',
  ].join('\n');
}

describe('file modes as Compose reads them', () => {
  it('parses YAML 1.1 C-style octal integers as octal', () => {
    const tree = parseStackYaml('a: 0440\nb: -0644\nc: 0o755\nd: 08\ne: "0440"\nf: 0\n', 'x.yaml');
    expect({ ...tree }).toEqual({ a: 288, b: -420, c: 493, d: 8, e: '0440', f: 0 });
  });

  it.each([
    ['0440', '0644', '0400', [0o440, 0o644, 0o400]],
    ['256', '420', '511', [256, 420, 511]],
    ['"0440"', '"644"', '"0o1777"', [0o440, 0o644, 0o1777]],
    ['0o600', '0o640', '0o700', [0o600, 0o640, 0o700]],
  ])('secret %s, config %s, tmpfs %s', async (secret, config, tmpfs, expected) => {
    const root = stackDir({ 'compose.yaml': stackWithModes(secret, config, tmpfs), token: 't', conf: 'c' });
    for (const interpolate of [true, false]) {
      const { services } = await loadProject({ cwd: root, env: {}, interpolate });
      const app = services.app!;
      const tmpfsMount = app.volumes.find((v) => v.type === 'tmpfs');
      expect([app.secrets[0]!.mode, app.configs[0]!.mode, tmpfsMount?.tmpfs?.mode]).toEqual(expected);
    }
  });

  it('reads an interpolated mode as octal, as Compose does', async () => {
    const root = stackDir({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
      'compose.yaml': stackWithModes('"${MODE}"', '"0${MODE}"', '0700'),
      token: 't',
      conf: 'c',
    });
    const { services } = await loadProject({ cwd: root, env: { MODE: '440' } });
    expect([services.app!.secrets[0]!.mode, services.app!.configs[0]!.mode]).toEqual([0o440, 0o440]);
  });
});

describe('parseMode', () => {
  it.each([
    [288, 288],
    [256, 256],
    [440, 440],
    [0, 0],
    ['0440', 0o440],
    ['440', 0o440],
    [' 0o755 ', 0o755],
    ['0O600', 0o600],
  ])('takes %j as %d', (value, expected) => {
    expect(parseMode(value)).toBe(expected);
  });

  it.each([[-1], [1.5], ['0999'], ['rw-r--r--'], ['0x1ff'], ['']])('refuses %j', (value) => {
    expect(() => parseMode(value)).toThrow(ValueError);
  });
});
