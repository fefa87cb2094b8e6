import { describe, expect, test } from 'vitest';
import { minimumSlice } from '../src/index.ts';

describe('the smallest slice analytics show', () => {
  const analytics = { minimumSliceSize: 5, objectives: {} };
  test('is the analytics setting in an identified program, whatever its survey k', () => {
    expect(minimumSlice({ analytics, anonymity: { mode: 'identified', k: 12 } })).toBe(5);
  });
  test('is the survey k of an anonymous program when that is stricter, and never below the setting', () => {
    expect(minimumSlice({ analytics, anonymity: { mode: 'anonymous', k: 12 } })).toBe(12);
    expect(minimumSlice({ analytics, anonymity: { mode: 'anonymous', k: 3 } })).toBe(5);
  });
});
