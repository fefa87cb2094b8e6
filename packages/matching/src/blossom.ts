/**
 * Maximum-weight matching on a general graph: Edmonds' blossom algorithm in its primal-dual form,
 * organised like LEMON's `MaxWeightedMatching` (Galil–Micali–Gabow style) rather than the textbook
 * O(n^3) stage loop:
 *
 * - alternating trees survive augmentations: only the trees an augmentation touches are dissolved,
 *   so the work after an augmentation is proportional to those trees, not to the graph;
 * - dual changes are applied lazily (one global clock, per-top-blossom time stamps), and every
 *   future event (an edge becoming tight, an even vertex dual reaching 0, an odd blossom dual
 *   reaching 0) sits in one binary heap keyed by the clock value at which it fires; the edges of a
 *   vertex share a single entry keyed by the earliest of them, taken from a heap of the vertex's
 *   edges (LEMON's per-node heaps), so that an event costs a heap step rather than a rescan;
 * - entries are never deleted: they are re-validated against the current state when they reach
 *   the top, and every label change that makes an event possible pushes a fresh entry.
 *
 * Cost is O(nm log n) in the worst case (each label change re-keys a vertex's edges, O(n) label
 * changes per augmentation); in practice trees stay small and the work is close to O(m log n).
 * Graphs built to force the worst case (Van Rantwijk's slow graphs, about n^2 / 16 dual steps)
 * are mostly defused by the start (exposed vertices keep only the dual their edges need); a solve
 * that still passes a work limit is solved again from the fractional optimum
 * (`fractional-start.ts`), as LEMON does for every graph.
 * Tied weights used to break that (every vertex a root, every edge tight at once, blossoms
 * relabelled in full as they nested); the greedy start, the id hand-over of blossoms and the
 * partial rescans of dissolved trees below are what keep it near-linear there (see the README).
 *
 * The solver runs as WebAssembly compiled from `assembly/blossom-kernel.ts` (AssemblyScript; see
 * `blossom-kernel.ts` and the package README for why): this module checks the options, copies the
 * caller's arrays in and the result out, and falls back to the fractional start.
 *
 * Weights are quantised to integers `q = round(w * scale)` so that all dual arithmetic is exact in
 * float64 (the scale follows the weights, see `scaleFor`): duals are kept in units of
 * 1 / (2 * scale), i.e. an edge uv is dual-feasible when y_u + y_v + sum(z_B : u, v in B) >= 2q. Edges with q <= 0 cannot improve a
 * maximum-weight matching and are ignored (their dual constraint holds because all duals are >= 0).
 */

import { type BlossomKernel, blossomKernel, releaseBlossomKernel } from './blossom-kernel.ts';
import { fractionalStart } from './fractional-start.ts';
import { IterationLimitError } from './iteration-limit.ts';
import { keepShape } from './keep-shape.ts';

export const DEFAULT_SCALE = 2 ** 20;

/**
 * Events per vertex and edge between two augmentations that the event loop allows before it calls
 * itself broken: several times what the property tests reach, whose worst is about half of this.
 */
const EVENTS_PER_STAGE_ITEM = 4;

/**
 * Work (edges keyed plus events) per vertex and edge after which a solve counts as adversarial and
 * restarts from the fractional start (`fractional-start.ts`): about three times what top-10
 * candidate graphs take. Van Rantwijk's slow graphs passed it from the greedy start alone; with the
 * lowered duals of exposed vertices they take 3-5.
 */
const ADVERSARIAL_WORK = 32;

/**
 * Heap pops per vertex and edge the fractional start may take, on top of n^2 / 8 (twice the dual
 * steps of a slow graph, which its searches take about as many pops as), before it is given up.
 */
const FRACTIONAL_WORK = 64;

/**
 * Largest quantised weight Q. The clock stops once the last root's dual reaches 0, so it never
 * passes the largest starting dual (Q, or about 2Q from a warm start); a dual moves by at most the
 * clock and the blossom duals along one nest grow at 2 per unit in turn, so every dual stays below
 * 4Q and every slack, event time and certificate sum below 16Q: 2^49 keeps them under 2^53, where
 * float64 stops being exact.
 */
const MAX_QUANTISED = 2 ** 49;

/** Below this largest weight the default scale rises, so that small weights do not round to 0. */
const SMALL_WEIGHT = 2 ** -10;

/**
 * The default quantisation scale for these weights, a power of two: 2^20 for weights of everyday
 * magnitude (the largest between 2^-10 and 2^29), so that scores in [0, 1] keep the quantisation
 * that results and benchmarks compare; smaller where the largest weight would quantise above
 * 2^49, and larger where it would quantise below 2^10. Integer weights up to 2^49 therefore stay
 * exact (the scale is at least 1), larger ones are rounded to a multiple of 2^(e - 49) for a
 * largest weight below 2^e, and weights far below the largest (more than 2^49 times smaller) round
 * to 0 and drop out, as they must with 53-bit arithmetic.
 */
export function scaleFor(w: Float64Array): number {
  // Only positive weights count: the solver drops the others whatever their size.
  let largest = 0;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (x > largest && x !== Number.POSITIVE_INFINITY) largest = x;
  }
  let scale = DEFAULT_SCALE;
  if (largest === 0) return scale;
  while (largest * scale > MAX_QUANTISED) scale /= 2;
  if (largest < SMALL_WEIGHT) while (largest * scale < DEFAULT_SCALE && scale < 2 ** 1000) scale *= 2;
  return scale;
}

export interface MatchingDuals {
  /** Weights were quantised as round(w * scale). */
  readonly scale: number;
  /** Weight represented by one dual unit, 1 / (2 * scale). */
  readonly unit: number;
  /** y_v in dual units; every y_v >= 0 and unmatched vertices have y_v = 0. */
  readonly vertex: Float64Array;
  /** Innermost non-trivial blossom containing each vertex, -1 when none. */
  readonly vertexBlossom: Int32Array;
  /** Enclosing blossom of each blossom, -1 for outermost ones. */
  readonly blossomParent: Int32Array;
  /** z_B in dual units, >= 0. */
  readonly blossomDual: Float64Array;
  /** Number of vertices in each blossom (odd). */
  readonly blossomSize: Int32Array;
}

export interface MatchingResult {
  /** mate[v] is v's partner, -1 when unmatched. */
  readonly mate: Int32Array;
  /** Sum of the original weights of the matched edges. */
  readonly total: number;
  /** Sum of the quantised weights of the matched edges (an integer, in units of 1 / scale). */
  readonly totalQuantised: number;
  readonly cardinality: number;
  readonly duals: MatchingDuals;
}

/**
 * A starting point for the solver: a matching with vertex duals only (in dual units) that is
 * dual-feasible for every edge, has y >= 0 and makes every matched edge tight. Unmatched vertices
 * with y > 0 become the roots of the search.
 */
export interface WarmStart {
  readonly mate: Int32Array;
  readonly vertexDual: Float64Array;
  /** The scale the duals were computed at; the solve uses it unless `scale` is given. */
  readonly scale?: number;
}

export interface MatchingOptions {
  /** Quantisation factor for the weights; default the warm start's, else `scaleFor(w)`. */
  readonly scale?: number;
  readonly warmStart?: WarmStart;
  /**
   * Units of work (edges keyed plus events) per vertex and edge after which the solve restarts from
   * the fractional start (`fractional-start.ts`), default 32. Tests lower it to reach that path,
   * which the graphs built to be slow no longer reach by themselves.
   */
  readonly adversarialWork?: number;
}

export function quantiseWeight(w: number, scale: number): number {
  return Math.round(w * scale);
}

/**
 * Maximum-weight (not maximum-cardinality) matching of the graph with `n` vertices and the edges
 * (u[i], v[i]) of weight w[i]. Self-loops and non-positive edges are ignored; parallel edges are
 * allowed.
 */
export function maxWeightMatching(
  n: number,
  u: Int32Array,
  v: Int32Array,
  w: Float64Array,
  options: MatchingOptions = {},
): MatchingResult {
  const scale = options.scale ?? options.warmStart?.scale ?? scaleFor(w);
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError('scale must be a positive number');
  const warm = options.warmStart;
  if (warm?.scale !== undefined && warm.scale !== scale)
    throw new RangeError('warm start duals are at another scale than the solve');
  if (u.length !== v.length || u.length !== w.length) throw new RangeError('edge arrays differ in length');
  if (warm !== undefined && (warm.mate.length !== n || warm.vertexDual.length !== n))
    throw new RangeError('warm start has wrong length');
  // The solver runs in WebAssembly (`blossom-kernel.ts`); this side only copies arrays in and out.
  const kernel = blossomKernel();
  try {
    kernel.input(u.length);
    const buffer = kernel.memory.buffer;
    new Int32Array(buffer, kernel.inputUAt(), u.length).set(u);
    new Int32Array(buffer, kernel.inputVAt(), v.length).set(v);
    new Float64Array(buffer, kernel.inputWAt(), w.length).set(w);
    prepare(kernel, n, scale, warm);
    const size = n + kernel.keptEdges();
    if (solveWithin(kernel, n, (options.adversarialWork ?? ADVERSARIAL_WORK) * size))
      return result(kernel, n, scale);
    // Past its work limit the solve is on a graph like Van Rantwijk's slow ones, where the dual
    // steps number about n^2 / 16: the fractional optimum, found without blossoms, usually leaves
    // the blossom search next to nothing. When that is slow too, the first search carries on.
    const m = kernel.keptEdges();
    const endpoint = new Int32Array(kernel.memory.buffer, kernel.endpointAt(), 2 * m).slice();
    const quantised = new Float64Array(kernel.memory.buffer, kernel.quantisedAt(), m).slice();
    const fractional = fractionalStart(n, endpoint, quantised, FRACTIONAL_WORK * size + (n * n) / 8);
    if (fractional !== null) prepare(kernel, n, scale, fractional);
    solveWithin(kernel, n, Number.POSITIVE_INFINITY);
    return result(kernel, n, scale);
  } finally {
    releaseBlossomKernel(kernel);
  }
}

/**
 * Has the kernel quantise and check the input and start its solver, from the warm start when one
 * is given; turns a refusal into the RangeError that names it.
 */
function prepare(
  kernel: BlossomKernel,
  n: number,
  scale: number,
  warm: { readonly mate: Int32Array; readonly vertexDual: Float64Array } | undefined,
): void {
  if (warm !== undefined) {
    kernel.warmInput(n);
    const buffer = kernel.memory.buffer;
    new Int32Array(buffer, kernel.warmPartnerAt(), n).set(warm.mate);
    new Float64Array(buffer, kernel.warmDualAt(), n).set(warm.vertexDual);
  }
  const failure = kernel.prepare(n, scale, warm === undefined ? 0 : 1);
  if (failure === 0) return;
  const at = kernel.failureAt();
  switch (failure) {
    case VERTEX_OUTSIDE:
      throw new RangeError(`edge ${at} has a vertex outside 0..${n - 1}`);
    case BAD_WEIGHT:
      throw new RangeError(`edge ${at} weight is not finite or too large for scale ${scale}`);
    case NEGATIVE_DUAL:
      throw new RangeError(`warm start dual of ${at} is negative`);
    case INFEASIBLE:
      throw new RangeError('warm start is not dual-feasible');
    case ASYMMETRIC:
      throw new RangeError('warm start mate is not symmetric');
    default:
      throw new RangeError(`warm start matches ${at}-${warm?.mate[at]} without a tight edge`);
  }
}

// The kernel's refusals (`fail` in `assembly/blossom-kernel.ts`).
const VERTEX_OUTSIDE = 1;
const BAD_WEIGHT = 2;
const NEGATIVE_DUAL = 3;
const INFEASIBLE = 4;
const ASYMMETRIC = 5;

/** The kernel's event loop has more events to run (`slice`). */
const UNFINISHED = 2;

/** Runs the kernel's solver; false once past `workLimit` (units of work, see `slice` there). */
function solveWithin(kernel: BlossomKernel, n: number, workLimit: number): boolean {
  kernel.startRun();
  let status = kernel.slice(workLimit);
  while (status === UNFINISHED) status = kernel.slice(workLimit);
  if (status === -1) {
    // At most n augmentations or retired vertices, and between two of them a bounded number of
    // events per vertex and edge (see the cost above).
    const m = kernel.keptEdges();
    throw new IterationLimitError('blossom: events', EVENTS_PER_STAGE_ITEM * (n + 1) * (n + m + 1));
  }
  return status === 1;
}

/** The solved matching and its duals, copied out of the kernel. */
function result(kernel: BlossomKernel, n: number, scale: number): MatchingResult {
  kernel.finish();
  const buffer = kernel.memory.buffer;
  const nb = kernel.blossomCount();
  return {
    mate: new Int32Array(buffer, kernel.partnerAt(), n).slice(),
    total: kernel.total(),
    totalQuantised: kernel.totalQuantised(),
    cardinality: kernel.cardinality(),
    duals: {
      scale,
      unit: 1 / (2 * scale),
      vertex: new Float64Array(buffer, kernel.dualAt(), n).slice(),
      vertexBlossom: new Int32Array(buffer, kernel.vertexBlossomAt(), n).slice(),
      blossomParent: new Int32Array(buffer, kernel.blossomParentAt(), nb).slice(),
      blossomDual: new Float64Array(buffer, kernel.blossomDualAt(), nb).slice(),
      blossomSize: new Int32Array(buffer, kernel.blossomSizeAt(), nb).slice(),
    },
  };
}

/**
 * Answers the dual constraint of any vertex pair, in or out of the solved graph: pricing a pair is
 * O(1) when the two vertices lie in different outermost blossoms (the common case) and O(depth)
 * otherwise, via the lowest common blossom and prefix sums of z along the blossom tree.
 */
export class DualCertificate {
  readonly scale: number;
  private readonly y: Float64Array;
  private readonly vertexBlossom: Int32Array;
  private readonly blossomParent: Int32Array;
  private readonly depth: Int32Array;
  private readonly outer: Int32Array;
  /** Sum of z over a blossom and all blossoms enclosing it. */
  private readonly zUp: Float64Array;

  constructor(duals: MatchingDuals) {
    this.scale = duals.scale;
    this.y = duals.vertex;
    this.vertexBlossom = duals.vertexBlossom;
    this.blossomParent = duals.blossomParent;
    const nb = duals.blossomParent.length;
    this.depth = new Int32Array(nb).fill(-1);
    this.outer = new Int32Array(nb);
    this.zUp = new Float64Array(nb);
    const chain: number[] = [];
    for (let b = 0; b < nb; b++) {
      let x = b;
      while (x !== -1 && this.depth[x] === -1) {
        chain.push(x);
        x = this.blossomParent[x]!;
      }
      while (chain.length > 0) {
        const c = chain.pop()!;
        const p = this.blossomParent[c]!;
        if (p === -1) {
          this.depth[c] = 0;
          this.outer[c] = c;
          this.zUp[c] = duals.blossomDual[c]!;
        } else {
          this.depth[c] = this.depth[p]! + 1;
          this.outer[c] = this.outer[p]!;
          this.zUp[c] = this.zUp[p]! + duals.blossomDual[c]!;
        }
      }
    }
  }

  /** Outermost blossom containing v, -1 when v is in none. */
  outermost(v: number): number {
    const b = this.vertexBlossom[v]!;
    return b === -1 ? -1 : this.outer[b]!;
  }

  /** Sum of z_B over the blossoms containing both u and v. */
  sharedBlossomDual(u: number, v: number): number {
    let a = this.vertexBlossom[u]!;
    let b = this.vertexBlossom[v]!;
    if (a === -1 || b === -1 || this.outer[a] !== this.outer[b]) return 0;
    while (this.depth[a]! > this.depth[b]!) a = this.blossomParent[a]!;
    while (this.depth[b]! > this.depth[a]!) b = this.blossomParent[b]!;
    while (a !== b) {
      a = this.blossomParent[a]!;
      b = this.blossomParent[b]!;
    }
    return this.zUp[a]!;
  }

  /** y_v plus half the z of every blossom containing v: a vertex-only dual with the same tight edges. */
  cover(v: number): number {
    const b = this.vertexBlossom[v]!;
    return this.y[v]! + (b === -1 ? 0 : this.zUp[b]! / 2);
  }

  /** Dual slack, in dual units, of the pair uv with quantised weight q; >= 0 means the pair is priced out. */
  slackQuantised(u: number, v: number, q: number): number {
    return this.y[u]! + this.y[v]! + this.sharedBlossomDual(u, v) - 2 * q;
  }

  slack(u: number, v: number, w: number): number {
    return this.slackQuantised(u, v, quantiseWeight(w, this.scale));
  }
}

// See keep-shape.ts: the solver (with its event heap) and the certificate are built per solve.
keepShape(
  new DualCertificate({
    scale: 0.5,
    unit: 1,
    vertex: new Float64Array(0),
    vertexBlossom: new Int32Array(0),
    blossomParent: new Int32Array(0),
    blossomDual: new Float64Array(0),
    blossomSize: new Int32Array(0),
  }),
);

/**
 * Turns a solved matching into a warm start for a related graph (the same vertices, more edges):
 * every blossom dual is spread as z/2 onto its vertices, which keeps every edge feasible and every
 * edge inside the same blossoms as tight as before; the matched edges that leave a blossom with
 * z > 0 lose their tightness and are unmatched, so their endpoints restart as roots.
 */
export function warmStartFrom(result: MatchingResult): WarmStart {
  const cert = new DualCertificate(result.duals);
  const n = result.mate.length;
  const mate = result.mate.slice();
  const vertexDual = new Float64Array(n);
  for (let v = 0; v < n; v++) vertexDual[v] = cert.cover(v);
  for (let v = 0; v < n; v++) {
    const m = mate[v]!;
    if (m <= v) continue;
    const before = result.duals.vertex[v]! + result.duals.vertex[m]! + cert.sharedBlossomDual(v, m);
    if (vertexDual[v]! + vertexDual[m]! !== before) {
      mate[v] = -1;
      mate[m] = -1;
    }
  }
  return { mate, vertexDual, scale: result.duals.scale };
}
