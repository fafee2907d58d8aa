import { randomBytes } from 'node:crypto';
import { invalid } from '../errors.js';

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Refuses names the local driver refuses (they become directory names under the data root). */
export function checkVolumeName(name: string): void {
  if (!VALID_NAME.test(name)) {
    throw invalid(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only ` +
        '"[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path',
    );
  }
}

/** An anonymous volume's name: 64 random hex digits, like a Docker ID. */
export function anonymousVolumeName(): string {
  return randomBytes(32).toString('hex');
}
