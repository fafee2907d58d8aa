import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainIds } from '../../../../runtime/images/chain-id.js';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

describe('chainIDs', () => {
  it('follows the image spec: ChainID(L0) = DiffID(L0), then sha256(parent + " " + diffID)', () => {
    const [a, b, c] = [sha('a'), sha('b'), sha('c')];
    const ab = sha(`${a} ${b}`);
    expect(chainIds([a, b, c])).toEqual([a, ab, sha(`${ab} ${c}`)]);
    expect(chainIds([])).toEqual([]);
  });

  it('matches a known value (two-layer image)', () => {
    // ChainID of two empty layers (diffID of an empty tar, used by Docker for empty_layer).
    const empty = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';
    expect(chainIds([empty, empty])[1]).toBe(sha(`${empty} ${empty}`));
  });
});
