import { createHash } from 'node:crypto';
import { invalid } from '../errors.js';

/** The only digest algorithm the store accepts. */
const DIGEST = /^sha256:([a-f0-9]{64})$/;
const HEX = /^[a-f0-9]{64}$/;

/** True for a well-formed `sha256:<64 hex>` digest. */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** True for a bare 64-character lowercase hex ID. */
export function isHexId(value: string): boolean {
  return HEX.test(value);
}

/**
 * The 64-hex part of a digest, validated so it can be used as a file name: anything else is a
 * 400 rather than a path (IDs used in paths unvalidated were CVE-2014-9358).
 */
export function digestHex(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m?.[1]) throw invalid(`invalid digest: ${JSON.stringify(digest.slice(0, 100))}`);
  return m[1];
}

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
