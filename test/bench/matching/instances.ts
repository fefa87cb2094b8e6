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

/**
 * An instance from integer weights, taken as the quantised weights themselves (units of 2^-20):
 * the generators' weights reach 2^28, and their totals stay exact in a double only unscaled.
 */
function fromIntegerEdges(
  name: string,
  n: number,
  edges: readonly (readonly [number, number, number])[],
): Instance {
  return {
    name,
    n,
    dense: false,
    u: Int32Array.from(edges, (e) => e[0]),
    v: Int32Array.from(edges, (e) => e[1]),
    q: Float64Array.from(edges, (e) => e[2]),
  };
}

/**
 * Van Rantwijk's dense slow graph (`make_dense_slow_graph` in jorisvr/maximum-weight-matching's
 * tests/generate/make_slow_graph.py, written here from its description): n/4 "outer" pairs, heavy
 * and slightly decreasing so that they are matched first, and n/4 "inner" pairs whose first vertex
 * is joined to the first vertex of every outer pair. The weights make an O(n^3) solver pull the
 * inner pairs in one at a time, each after a dual change per outer pair: about n^2 / 16 dual steps
 * on n^2 / 16 + n / 2 edges. n must be a multiple of 4.
 */
export function denseSlow(n: number): Instance {
  if (n % 4 !== 0) throw new RangeError('the dense slow graph needs n divisible by 4');
  const outer = n / 4;
  const inner = n / 4;
  const top = 2 * inner * (outer + 1);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < outer; i++) edges.push([2 * i, 2 * i + 1, top - i]);
  for (let k = 0; k < inner; k++) {
    const a = 2 * outer + 2 * k;
    const step = (1 + Math.floor(k / 2)) * (outer + 1);
    // Even inner pairs see all outer pairs at one weight, odd ones at weights falling with i.
    for (let i = 0; i < outer; i++) edges.push([a, 2 * i, k % 2 === 0 ? top - step + 1 : top - step - i]);
    edges.push([a, a + 1, top - (k + 1) * (2 * outer + 1)]);
  }
  return fromIntegerEdges(`dense slow n=${n}`, n, edges);
}

/**
 * Van Rantwijk's sparse slow graph (`make_sparse_slow_graph`, the `sparse_delta` files of
 * tests/generate/make_graphs.sh, written here from its description): p top pairs, two "coupling"
 * pairs each joined to every top pair's second vertex, and two bottom groups of p / 2 pairs, each
 * hanging from one coupling pair. The weights make an O(n^3) solver alternate between the two
 * bottom groups, pulling every top edge of the active coupling pair tight each time: about n^2 / 16
 * dual steps on 5n / 4 - 3 edges. n must be 4 modulo 8.
 */
export function sparseDelta(n: number): Instance {
  if (n < 12 || n % 8 !== 4) throw new RangeError('the sparse slow graph needs n = 4 (mod 8), n >= 12');
  const p = (n - 4) / 4;
  const q = p / 2;
  const top = 16 * (q + 1) * (p + 2);
  const coupling = (k: number) => 2 * p + 2 * k;
  const bottom = (k: number, i: number) => 2 * p + 4 + 2 * q * k + 2 * i;
  const edges: [number, number, number][] = [];
  for (let i = 0; i < p; i++) edges.push([2 * i, 2 * i + 1, top - i]);
  for (let k = 0; k < 2; k++) {
    // The first coupling pair sees the top layer at one weight, the second at falling weights.
    for (let i = 0; i < p; i++) edges.push([2 * i + 1, coupling(k), k === 0 ? top - p : top - p - 1 - i]);
    edges.push([coupling(k), coupling(k) + 1, k === 0 ? top - 2 * p - 1 : top - 4 * p - 2]);
  }
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < q; i++)
      edges.push([coupling(k) + 1, bottom(k, i), top - (2 * i + k) * (2 * p + 4) - 4 * p + 1]);
    for (let i = 0; i < q; i++)
      edges.push([bottom(k, i), bottom(k, i) + 1, top - (2 * i + k + 1) * 8 * p - (2 * i + k) * 12]);
  }
  return fromIntegerEdges(`sparse delta n=${n}`, n, edges);
}

/**
 * A path whose weights alternate n, n + 1 (`make_chain_graph` of the same file): the lighter edges
 * are matched first and every later dual step moves the whole path by one.
 */
export function chain(n: number): Instance {
  const edges: [number, number, number][] = [];
  for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, n + (i % 2)]);
  return fromIntegerEdges(`chain n=${n}`, n, edges);
}

/**
 * m distinct random edges on n vertices with integer weights uniform in [1, 10^6]
 * (`make_random_graph.py`'s defaults; drawn here with this file's generator and seed).
 */
export function randomGraph(n: number, m: number, seed: number): Instance {
  const rand = rng(seed);
  const seen = new Set<number>();
  const edges: [number, number, number][] = [];
  while (edges.length < m) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    if (a === b) continue;
    const key = Math.min(a, b) * n + Math.max(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([Math.min(a, b), Math.max(a, b), 1 + Math.floor(rand() * 1_000_000)]);
  }
  return fromIntegerEdges(`random n=${n} m=${m}`, n, edges);
}

/**
 * Gabow's worst case for cardinality matching (`hardcard.py`, after Mattingly's hardcard.f):
 * 6K vertices, the first 4K a complete graph, every odd-numbered one of them (counting from 1) also
 * joined to one of the last 2K; all weights 1.
 */
export function hardcard(k: number): Instance {
  const edges: [number, number, number][] = [];
  for (let i = 0; i < 4 * k; i++) {
    for (let j = i + 1; j < 4 * k; j++) edges.push([i, j, 1]);
    if (i % 2 === 0) edges.push([i, 4 * k + i / 2, 1]);
  }
  return fromIntegerEdges(`hardcard n=${6 * k}`, 6 * k, edges);
}
