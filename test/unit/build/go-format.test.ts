import { describe, expect, it } from 'vitest';
import { goDuration, goQuoteRune } from '../../../runtime/build/go-format.js';

// Values checked against Go's time.Duration.String() and fmt's %q of an int.
describe("Go's fmt renderings in build history", () => {
  it.each([
    [0, '0s'],
    [1, '1ns'],
    [1500, '1.5µs'],
    [500e6, '500ms'],
    [1.5e6, '1.5ms'],
    [1e9, '1s'],
    [1.5e9, '1.5s'],
    [30e9, '30s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [3723.5e9, '1h2m3.5s'],
    [-2e9, '-2s'],
  ])('Duration(%d).String() is %s', (ns, text) => {
    expect(goDuration(ns)).toBe(text);
  });

  it.each([
    [0, "'\\x00'"],
    [2, "'\\x02'"],
    [9, "'\\t'"],
    [10, "'\\n'"],
    [31, "'\\x1f'"],
    [65, "'A'"],
    [39, "'\\''"],
    [92, "'\\\\'"],
    [127, "'\\x7f'"],
  ])('%%q of %d is %s', (n, text) => {
    expect(goQuoteRune(n)).toBe(text);
  });
});
