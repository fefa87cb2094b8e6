import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { suppressSmallSlices } from '../src/anonymity.ts';

const count = (slice: { n: number }) => slice.n;

describe('suppressSmallSlices', () => {
  test('hides slices under k and keeps the order of the others', () => {
    const slices = [
      { name: 'a', n: 7 },
      { name: 'b', n: 2 },
      { name: 'c', n: 5 },
      { name: 'd', n: 4 },
    ];
    const { shown, suppressed } = suppressSmallSlices(slices, count, 5);
    expect(shown.map((s) => s.name)).toEqual(['a', 'c']);
    expect(suppressed.map((s) => s.name)).toEqual(['b', 'd']);
  });

  test('a lone small slice takes the smallest other one with it, so subtraction from a total cannot reveal it', () => {
    const slices = [
      { name: 'a', n: 9 },
      { name: 'b', n: 6 },
      { name: 'c', n: 1 },
    ];
    const { shown, suppressed } = suppressSmallSlices(slices, count, 5);
    expect(shown.map((s) => s.name)).toEqual(['a']);
    expect(suppressed.map((s) => s.name)).toEqual(['b', 'c']);
    expect(suppressSmallSlices([{ n: 3 }], count, 5)).toEqual({ shown: [], suppressed: [{ n: 3 }] });
  });

  test('never shows a slice under k, and never leaves exactly one slice hidden among several', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(12), { maxLength: 8 }), fc.integer({ min: 2, max: 10 }), (sizes, k) => {
        const slices = sizes.map((n) => ({ n }));
        const { shown, suppressed } = suppressSmallSlices(slices, count, k);
        expect(shown.every((s) => s.n >= k)).toBe(true);
        expect(shown.length + suppressed.length).toBe(slices.length);
        if (slices.length > 1) expect(suppressed.length).not.toBe(1);
      }),
    );
  });
});
