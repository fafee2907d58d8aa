import { describe, expect, it } from 'vitest';
import { shownDiffValue } from '../../../src/reconcile/plan.js';

describe('plan diff values', () => {
  it('shortens image IDs to 12 hex, quotes balanced', () => {
    expect(shownDiffValue(`sha256:${'ab'.repeat(32)}`)).toBe(`"${'ab'.repeat(6)}"`);
  });

  it('cuts long strings outside their quotes', () => {
    const text = shownDiffValue('x'.repeat(100));
    expect(text).toBe(`"${'x'.repeat(55)}"...`);
  });

  it('marks an unset value', () => {
    expect(shownDiffValue(undefined)).toBe('(unset)');
  });
});
