import { invalid } from '../errors.js';

/** The Docker Engine API version the engine advertises (what dockerd 20.10 reports). */
export const API_VERSION = '1.41';
/** The oldest API version accepted; older clients get a 400. */
export const MIN_API_VERSION = '1.12';

/** Compares two `major.minor` versions numerically: negative, zero or positive. */
export function compareApiVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** A path with its `/vX.Y` prefix taken off, and the version it asked for. */
export interface VersionedPath {
  path: string;
  version: string;
}

const VERSIONED = /^\/v(\d+\.\d+)(\/.*)$/;

/**
 * Splits `/v1.41/containers/json` into version and path; an unversioned path means the maximum.
 * Out-of-range versions are a 400 with Docker's wording.
 */
export function splitVersion(rawPath: string): VersionedPath {
  const m = VERSIONED.exec(rawPath);
  if (!m) return { path: rawPath, version: API_VERSION };
  const version = m[1]!;
  if (compareApiVersions(version, API_VERSION) > 0) {
    throw invalid(`client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
  }
  if (compareApiVersions(version, MIN_API_VERSION) < 0) {
    throw invalid(
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  return { path: m[2]!, version };
}
