import { sha256Digest } from '../content/digest.js';

/**
 * ChainIDs of a layer stack (OCI image-spec config.md): `ChainID(L0) = DiffID(L0)`,
 * `ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln))`. One per layer, bottom first.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`));
  }
  return out;
}
