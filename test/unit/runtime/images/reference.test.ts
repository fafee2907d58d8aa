import { describe, expect, it } from 'vitest';
import {
  familiarKey,
  familiarName,
  parseReference,
  referenceKey,
  withDefaultTag,
} from '../../../../runtime/images/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

// Normalization as Docker's ParseNormalizedNamed + TagNameOnly does it, and the familiar form
// Docker shows in RepoTags.
const valid: Array<[input: string, key: string, familiar: string]> = [
  ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
  ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['user/app:v1', 'docker.io/user/app:v1', 'user/app:v1'],
  ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
  ['localhost:5000/x', 'localhost:5000/x:latest', 'localhost:5000/x:latest'],
  ['registry.example.com/a/b/c:tag', 'registry.example.com/a/b/c:tag', 'registry.example.com/a/b/c:tag'],
  [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
  [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`, `busybox:1@${D}`],
  ['Registry.Example.com/x', 'Registry.Example.com/x:latest', 'Registry.Example.com/x:latest'],
  ['a__b/c-d.e_f:T_1.x-y', 'docker.io/a__b/c-d.e_f:T_1.x-y', 'a__b/c-d.e_f:T_1.x-y'],
  ['[::1]:5000/x', '[::1]:5000/x:latest', '[::1]:5000/x:latest'],
];

const invalid: Array<[input: string, message: RegExp]> = [
  ['', /invalid reference format/],
  ['Busybox', /must be lowercase/],
  ['user/App', /must be lowercase/],
  ['a'.repeat(64), /cannot specify 64-byte hexadecimal strings/],
  ['busybox:', /invalid reference format/],
  ['busybox:-x', /invalid reference format/],
  [`busybox:${'t'.repeat(129)}`, /invalid reference format/],
  ['busybox@sha256:abc', /invalid reference format/],
  ['a//b', /invalid reference format/],
  ['-a', /invalid reference format/],
  ['a-', /invalid reference format/],
  ['a/../b', /invalid reference format/],
  [`${'a'.repeat(250)}/bbbbbbb`, /not be more than 255/],
  ['busybox latest', /invalid reference format/],
];

describe('image references', () => {
  it.each(valid)('%s → %s', (input, key, familiar) => {
    const ref = withDefaultTag(parseReference(input));
    expect(referenceKey(ref)).toBe(key);
    expect(familiarKey(key)).toBe(familiar);
  });

  it.each(invalid)('refuses %j', (input, message) => {
    expect(() => parseReference(input)).toThrow(message);
  });

  it('keeps a digest reference untagged', () => {
    expect(withDefaultTag(parseReference(`busybox@${D}`)).tag).toBeUndefined();
  });

  it('shows names as Docker does', () => {
    expect(familiarName(parseReference('docker.io/library/busybox'))).toBe('busybox');
    expect(familiarName(parseReference('docker.io/library/a/b'))).toBe('library/a/b');
    expect(familiarName(parseReference('quay.io/library/busybox'))).toBe('quay.io/library/busybox');
  });
});
