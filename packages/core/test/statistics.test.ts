import { describe, expect, test } from 'vitest';
import {
  incompleteBeta,
  netPromoterScore,
  npsGroup,
  pairedChange,
  sampleSd,
  studentTCdf,
  studentTQuantile,
} from '../src/index.ts';

const moments = (values: number[]) => ({
  n: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  sumSquares: values.reduce((a, b) => a + b * b, 0),
});

describe('the t distribution', () => {
  // Two-sided 95% critical values from the standard t table.
  test.each([
    [1, 12.7062047],
    [2, 4.30265273],
    [5, 2.57058184],
    [10, 2.22813885],
    [29, 2.04522964],
    [100, 1.98397152],
    [1000, 1.96233908],
  ])('t(0.975, %i) = %f', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 6);
  });

  test('other quantiles and the symmetric lower tail', () => {
    expect(studentTQuantile(0.95, 7)).toBeCloseTo(1.89457861, 6);
    expect(studentTQuantile(0.995, 3)).toBeCloseTo(5.84090931, 6);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.22813885, 6);
    expect(studentTQuantile(0.5, 4)).toBe(0);
  });

  test('the CDF at known points', () => {
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12);
    // df = 1 is the Cauchy distribution: 1/2 + atan(t)/π.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 10);
    expect(studentTCdf(-2, 1)).toBeCloseTo(0.5 + Math.atan(-2) / Math.PI, 10);
    // df = 2: 1/2 + t / (2 √(t² + 2)).
    expect(studentTCdf(1.5, 2)).toBeCloseTo(0.5 + 1.5 / (2 * Math.sqrt(1.5 ** 2 + 2)), 10);
  });

  test('the incomplete beta function at closed forms', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
    expect(incompleteBeta(0.3, 1, 3)).toBeCloseTo(1 - 0.7 ** 3, 12);
  });

  test('refuses impossible arguments', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('paired change', () => {
  test('matches a worked example (differences 1, 2, 0, 3, 1, 2, 2, 1)', () => {
    const diffs = [1, 2, 0, 3, 1, 2, 2, 1];
    const result = pairedChange(moments(diffs));
    // mean 1.5, sd = √(6/7) ≈ 0.9258201, se ≈ 0.3273268, t(0.975, 7) = 2.3646243.
    expect(result.n).toBe(8);
    expect(result.meanDifference).toBeCloseTo(1.5, 12);
    expect(result.ci95![0]).toBeCloseTo(1.5 - 2.3646243 * 0.3273268, 5);
    expect(result.ci95![1]).toBeCloseTo(1.5 + 2.3646243 * 0.3273268, 5);
    expect(result.cohensDz).toBeCloseTo(1.5 / 0.9258201, 5);
  });

  test('one pair has a mean but no interval; identical differences have no d_z', () => {
    expect(pairedChange(moments([2]))).toEqual({ n: 1, meanDifference: 2, ci95: null, cohensDz: null });
    const flat = pairedChange(moments([1, 1, 1]));
    expect(flat.ci95).toEqual([1, 1]);
    expect(flat.cohensDz).toBeNull();
    expect(pairedChange(moments([]))).toEqual({ n: 0, meanDifference: null, ci95: null, cohensDz: null });
  });

  test('the sample standard deviation divides by n − 1', () => {
    expect(sampleSd(moments([2, 4, 4, 4, 5, 5, 7, 9]))).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});

describe('net promoter score', () => {
  test('groups answers and scores them', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsGroup)).toEqual([
      'detractors',
      'detractors',
      'passives',
      'passives',
      'promoters',
      'promoters',
    ]);
    expect(netPromoterScore({ promoters: 5, passives: 3, detractors: 2 })).toBe(30);
    expect(netPromoterScore({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });
});
