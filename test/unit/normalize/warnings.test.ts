import { describe, expect, it } from 'vitest';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import { load } from './helpers.js';

describe('warnings', () => {
  it('warns about the obsolete version and skipped optional dependencies, located', () => {
    const warnings: string[] = [];
    const positions = new PositionIndex();
    positions.set(['version'], { file: 'compose.yaml', line: 1, col: 1 });
    load(
      `
version: "3.9"
services:
  web: { image: x, depends_on: { dbg: { condition: service_started, required: false }, gone: { condition: service_started, required: false } } }
  dbg: { image: x, profiles: [debug] }
`,
      { positions, warn: (m) => warnings.push(m) },
    );
    expect(warnings).toEqual([
      'compose.yaml:1:1 version: the attribute is obsolete and ignored; remove it',
      'services.web.depends_on.dbg: optional dependency "dbg" is disabled by its profiles; skipped',
      'services.web.depends_on.gone: optional dependency "gone" is not defined; skipped',
    ]);
  });

  it('says nothing about a clean stack', () => {
    const warnings: string[] = [];
    load('services: { web: { image: x } }', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});
