import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { planStages, tagKeys } from '../../../../runtime/build/build-executor.js';
import { BuildOutput } from '../../../../runtime/build/build-output.js';
import { parseDockerfile } from '../../../../runtime/build/dockerfile-parse.js';

const FILE = parseDockerfile('ARG V=1\nFROM a AS one\nRUN x\nFROM one AS Two\nCOPY . .\nFROM b\nCMD y\n');

describe('planStages', () => {
  it('splits meta ARGs and stages', () => {
    const { meta, stages } = planStages(FILE);
    expect(meta.map((i) => i.original)).toEqual(['ARG V=1']);
    expect(stages.map((s) => [s.from.original, s.body.length])).toEqual([
      ['FROM a AS one', 1],
      ['FROM one AS Two', 1],
      ['FROM b', 1],
    ]);
  });

  it('stops at the target stage (names are case-insensitive)', () => {
    expect(planStages(FILE, 'two').stages).toHaveLength(2);
    expect(() => planStages(FILE, 'three')).toThrow('failed to reach build target three in Dockerfile');
  });

  it('refuses instructions before the first FROM other than ARG', () => {
    expect(() => planStages(parseDockerfile('RUN x\nFROM a\n'))).toThrow('line 1: RUN before the first FROM');
  });
});

describe('tagKeys', () => {
  it('normalizes tags and refuses invalid ones', () => {
    expect(tagKeys(['app', 'reg:5000/x/y:2'])).toEqual(['docker.io/library/app:latest', 'reg:5000/x/y:2']);
    expect(() => tagKeys(['Bad'])).toThrow('invalid reference format');
  });
});

describe('BuildOutput', () => {
  const capture = (quiet: boolean, write: (o: BuildOutput) => void) => {
    const stream = new PassThrough();
    write(new BuildOutput(stream, quiet));
    stream.end();
    return String(stream.read() ?? '')
      .split('\r\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };

  it('writes the classic builder messages', () => {
    const id = `sha256:${'ab'.repeat(32)}`;
    expect(
      capture(false, (o) => {
        o.step(1, 2, 'FROM x');
        o.result(id);
        o.stageBuilt(id);
        o.built(id, ['x:latest']);
        o.error('boom', 3);
      }),
    ).toEqual([
      // dockerd writes the step and its newline as two messages.
      { stream: 'Step 1/2 : FROM x' },
      { stream: '\n' },
      { stream: ' ---> abababababab\n' },
      { aux: { ID: id } },
      { aux: { ID: id } },
      { stream: 'Successfully built abababababab\n' },
      { stream: 'Successfully tagged x:latest\n' },
      { errorDetail: { code: 3, message: 'boom' }, error: 'boom' },
    ]);
  });

  it('quiet mode: only the aux ID and the ID line', () => {
    const id = `sha256:${'cd'.repeat(32)}`;
    expect(
      capture(true, (o) => {
        o.step(1, 1, 'FROM x');
        o.built(id, ['x']);
      }),
    ).toEqual([{ aux: { ID: id } }, { stream: `${id}\n` }]);
  });
});
