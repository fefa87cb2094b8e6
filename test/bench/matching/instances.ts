/**
 * Benchmark instances. Weights are drawn in [0, 1] and quantised once to integers in units of
 * 2^-20, the same quantisation Tandem's solver applies, so every implementation sees identical
 * integer weights and the totals can be compared exactly.
 */
import { DEFAULT_SCALE } from '../../../packages/matching/src/blossom.ts';

export const SCALE = DEFAULT_SCALE;

export interface Instance {
  readonly name: string;
  readonly n: number;
  /** Dense instances list every pair; Tandem solves them through top-k plus pricing. */
  readonly dense: boolean;
  readonly u: Int32Array;
  readonly v: Int32Array;
  /** Quantised integer weights. */
  readonly q: Float64Array;
}

/** Deterministic generator (mulberry32) so that every run benches the same instances. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quantise(w: number): number {
  return Math.round(w * SCALE);
}

function denseFrom(name: string, n: number, weight: (u: number, v: number) => number): Instance {
  const m = (n * (n - 1)) / 2;
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  const q = new Float64Array(m);
  let e = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      u[e] = a;
      v[e] = b;
      q[e] = quantise(weight(a, b));
      e++;
    }
  }
  return { name, n, dense: true, u, v, q };
}

export function denseRandom(n: number, seed: number): Instance {
  const rand = rng(seed);
  return denseFrom(`dense random n=${n}`, n, () => rand());
}

/** Cosine similarity of random points in an 8-dimensional space, clipped to [0, 1]. */
export function denseEmbedding(n: number, seed: number): Instance {
  const dims = 8;
  const rand = rng(seed);
  const x = new Float64Array(n * dims);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const c = rand() - 0.5;
      x[i * dims + d] = c;
      norm += c * c;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dims; d++) x[i * dims + d]! /= norm;
  }
  return denseFrom(`dense embedding n=${n}`, n, (a, b) => {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += x[a * dims + d]! * x[b * dims + d]!;
    return Math.min(1, Math.max(0, dot));
  });
}

/**
 * The candidate graph shape of a large cohort: every vertex proposes its 10 candidates (here drawn
 * uniformly, as a stand-in for a top-10 by score) and a pair is kept when either side proposed it.
 */
export function sparseTop10(n: number, seed: number): Instance {
  const rand = rng(seed);
  const seen = new Set<number>();
  const u: number[] = [];
  const v: number[] = [];
  const q: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let j = 0; j < 10; j++) {
      const b = Math.floor(rand() * n);
      if (b === a) continue;
      const key = Math.min(a, b) * n + Math.max(a, b);
      if (seen.has(key)) continue;
      seen.add(key);
      u.push(Math.min(a, b));
      v.push(Math.max(a, b));
      q.push(quantise(rand()));
    }
  }
  return {
    name: `top-10 sparse n=${n}`,
    n,
    dense: false,
    u: Int32Array.from(u),
    v: Int32Array.from(v),
    q: Float64Array.from(q),
  };
}

/**
 * K triangles in a chain, all weights 1 (the `triangles` family of DIMACS's t.f and tt.f, as
 * described in jorisvr/maximum-weight-matching's tests/generate): vertices 3i, 3i+1, 3i+2 form
 * triangle i; with C = 3 every vertex x is joined to x + 3, with C = 1 only one corner of each
 * triangle, 3i + (i mod 3), is joined to the same corner position of the next triangle. Every
 * matching of maximum cardinality is optimal, so the solver meets nothing but ties.
 */
export function triangles(k: number, c: 1 | 3): Instance {
  const u: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < k; i++) {
    const x = 3 * i;
    u.push(x, x, x + 1);
    v.push(x + 1, x + 2, x + 2);
  }
  if (c === 1) {
    for (let i = 0; i + 1 < k; i++) {
      const x = 3 * i + (i % 3);
      u.push(x);
      v.push(x + 3);
    }
  } else {
    for (let x = 0; x + 3 < 3 * k; x++) {
      u.push(x);
      v.push(x + 3);
    }
  }
  return {
    name: `triangles C=${c} n=${3 * k}`,
    n: 3 * k,
    dense: false,
    u: Int32Array.from(u),
    v: Int32Array.from(v),
    q: new Float64Array(u.length).fill(SCALE),
  };
}

/** Integer weights drawn uniformly from {1, 2, 3}, as quantised weights. */
function tieWeight(rand: () => number): number {
  return (1 + Math.floor(rand() * 3)) * SCALE;
}

/** Every pair, weights in {1, 2, 3}: about a third of all pairs share the top weight. */
export function denseTies(n: number, seed: number): Instance {
  const rand = rng(seed);
  const inst = denseFrom(`dense ties n=${n}`, n, () => 0);
  for (let e = 0; e < inst.q.length; e++) inst.q[e] = tieWeight(rand);
  return inst;
}

/** The top-10 graph shape of `sparseTop10` with weights in {1, 2, 3}. */
export function sparseTop10Ties(n: number, seed: number): Instance {
  const inst = sparseTop10(n, seed);
  const rand = rng(seed + 1000);
  for (let e = 0; e < inst.q.length; e++) inst.q[e] = tieWeight(rand);
  return { ...inst, name: `top-10 ties n=${n}` };
}
