/**
 * The statistics analytics report, computed from sums that can be maintained incrementally
 * (counts, sums, sums of squares), so a read never needs the individual values.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): about 15 significant digits. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t distribution with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t distribution (0 < p < 1), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError('need 0 < p < 1 and df > 0');
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Count, sum and sum of squares of a set of numbers: what an incremental projection keeps. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

export const mean = (m: Moments): number | null => (m.n > 0 ? m.sum / m.n : null);

/** The sample standard deviation (n − 1), null below two values. */
export function sampleSd(m: Moments): number | null {
  if (m.n < 2) return null;
  const variance = (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1);
  return Math.sqrt(Math.max(variance, 0));
}

export interface PairedChange {
  /** Pairs (one person's before and after answers). */
  n: number;
  /** Mean of after − before. */
  meanDifference: number | null;
  /** 95% confidence interval of the mean difference, from the t distribution with n − 1 df. */
  ci95: [number, number] | null;
  /** Cohen's d_z: mean difference over the standard deviation of the differences. */
  cohensDz: number | null;
}

/** Pre/post change from the moments of the paired differences. */
export function pairedChange(differences: Moments, confidence = 0.95): PairedChange {
  const meanDifference = mean(differences);
  const sd = sampleSd(differences);
  if (meanDifference === null || sd === null)
    return { n: differences.n, meanDifference, ci95: null, cohensDz: null };
  const half =
    studentTQuantile(1 - (1 - confidence) / 2, differences.n - 1) * (sd / Math.sqrt(differences.n));
  return {
    n: differences.n,
    meanDifference,
    ci95: [meanDifference - half, meanDifference + half],
    cohensDz: sd > 0 ? meanDifference / sd : null,
  };
}

/** Net Promoter Score: % promoters (9–10) minus % detractors (0–6), null without answers. */
export function netPromoterScore(counts: { promoters: number; passives: number; detractors: number }) {
  const n = counts.promoters + counts.passives + counts.detractors;
  return n === 0 ? null : (100 * (counts.promoters - counts.detractors)) / n;
}

/** Which NPS group a 0–10 answer falls in. */
export const npsGroup = (score: number): 'promoters' | 'passives' | 'detractors' =>
  score >= 9 ? 'promoters' : score >= 7 ? 'passives' : 'detractors';
