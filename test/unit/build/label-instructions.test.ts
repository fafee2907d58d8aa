import { describe, expect, it } from 'vitest';
import { labelInstructions } from '../../../runtime/build/build-executor.js';
import { metadataStep } from '../../../runtime/build/metadata-step.js';
import { envLookup } from '../../../runtime/build/shell-words.js';

// `--label`s become one LABEL step each, sorted by key, printed `LABEL key=value` and applied
// literally (dockerd's NoExp label commands).
describe('build labels as steps', () => {
  const labels = { 'z.last': 'v', 'two words': 'a b', 'a.dollar': '$HOME "q" \\x' };

  it.each(['\\', '`'])('one literal step per label, sorted by key (escape %s)', (esc) => {
    const steps = labelInstructions(labels, esc);
    expect(steps.map((s) => s.original)).toEqual([
      'LABEL a.dollar=$HOME "q" \\x',
      'LABEL two words=a b',
      'LABEL z.last=v',
    ]);
    let config = {};
    for (const s of steps) config = metadataStep(s, config, envLookup(['HOME=/root']), esc).config;
    expect(config).toEqual({ Labels: labels });
  });

  it('no labels, no steps', () => {
    expect(labelInstructions({})).toEqual([]);
  });
});
