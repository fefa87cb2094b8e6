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
 * Weights are quantised to integers `q = round(w * scale)` so that all dual arithmetic is exact in
 * float64 (the scale follows the weights, see `scaleFor`): duals are kept in units of
 * 1 / (2 * scale), i.e. an edge uv is dual-feasible when y_u + y_v + sum(z_B : u, v in B) >= 2q. Edges with q <= 0 cannot improve a
 * maximum-weight matching and are ignored (their dual constraint holds because all duals are >= 0).
 */

import { type FractionalStart, fractionalStart } from './fractional-start.ts';
import { IterationLimitError } from './iteration-limit.ts';
import { keepShape } from './keep-shape.ts';

const FREE = 0;
const EVEN = 1;
const ODD = 2;

const EVENT_VERTEX = 0;
const EVENT_EDGES = 1;
const EVENT_BLOSSOM = 2;

/** A vertex's edge heap (see `edgeKey`): a binary heap, or unordered with its earliest arc first, or unordered. */
const EDGES_ORDERED = 0;
const EDGES_EARLIEST_FIRST = 1;
const EDGES_UNORDERED = 2;

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

/** Heap entries per vertex and edge above which stale ones are dropped (`compactEvents`). */
const COMPACT_PER_ITEM = 4;

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
  const warmScale = options.warmStart?.scale;
  if (warmScale !== undefined && warmScale !== scale)
    throw new RangeError('warm start duals are at another scale than the solve');
  if (u.length !== v.length || u.length !== w.length) throw new RangeError('edge arrays differ in length');
  const solver = new BlossomSolver(n, u, v, w, scale);
  solver.start(options.warmStart);
  const size = n + solver.edgeTotal;
  if (solver.run((options.adversarialWork ?? ADVERSARIAL_WORK) * size)) return solver.result(w);
  // Past its work limit the solve is on a graph like Van Rantwijk's slow ones, where the dual
  // steps number about n^2 / 16: the fractional optimum, found without blossoms, usually leaves
  // the blossom search next to nothing. When that is slow too, the first search carries on.
  const fractional = solver.fractionalStart(FRACTIONAL_WORK * size + (n * n) / 8);
  if (fractional === null) {
    solver.run(Number.POSITIVE_INFINITY);
    return solver.result(w);
  }
  const again = new BlossomSolver(n, u, v, w, scale);
  again.start({ ...fractional, scale });
  again.run(Number.POSITIVE_INFINITY);
  return again.result(w);
}

// The solver's setup runs once per solve, so a process's first solves run it unoptimised. V8
// compiles a loop that runs long on-stack, and such code compiled before the rest of its function
// has run deoptimises when it gets there ("insufficient type feedback" under --trace-deopt); a
// function of one loop each, and a constructor without loops, avoid that.

/**
 * Validates and quantises the edges (round(w * scale), as `quantiseWeight`) into `all`, counts
 * the kept ones (no self-loop, positive) into `degree` and leaves each vertex's heaviest kept edge
 * in `y`, the cold start's dual (a warm start overwrites it); returns the number kept.
 */
function quantiseEdges(
  n: number,
  u: Int32Array,
  v: Int32Array,
  w: Float64Array,
  scale: number,
  all: Float64Array,
  degree: Int32Array,
  y: Float64Array,
): number {
  let m = 0;
  for (let i = 0; i < u.length; i++) {
    const a = u[i]!;
    const b = v[i]!;
    if (a < 0 || a >= n || b < 0 || b >= n)
      throw new RangeError(`edge ${i} has a vertex outside 0..${n - 1}`);
    const q = Math.round(w[i]! * scale);
    if (!Number.isFinite(q) || q > MAX_QUANTISED)
      throw new RangeError(`edge ${i} weight is not finite or too large for scale ${scale}`);
    all[i] = q;
    if (a === b || q <= 0) continue;
    m++;
    degree[a]!++;
    degree[b]!++;
    if (q > y[a]!) y[a] = q;
    if (q > y[b]!) y[b] = q;
  }
  return m;
}

/** Copies the kept edges (see quantiseEdges): edge e joins endpoint[2e] and endpoint[2e + 1]. */
function keepEdges(
  u: Int32Array,
  v: Int32Array,
  all: Float64Array,
  edgeOrigin: Int32Array,
  endpoint: Int32Array,
  quantised: Float64Array,
): void {
  let e = 0;
  for (let i = 0; i < u.length; i++) {
    const q = all[i]!;
    const a = u[i]!;
    const b = v[i]!;
    if (a === b || q <= 0) continue;
    edgeOrigin[e] = i;
    endpoint[2 * e] = a;
    endpoint[2 * e + 1] = b;
    quantised[e] = q;
    e++;
  }
}

/**
 * Vertex x's arcs are adj[adjStart[x]] to adj[adjStart[x + 1] - 1], each the far endpoint of an
 * edge, so endpoint[adj[i]] is the neighbour.
 */
function buildAdjacency(
  degree: Int32Array,
  endpoint: Int32Array,
  adjStart: Int32Array,
  adj: Int32Array,
): void {
  const n = adjStart.length - 1;
  for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i]! + degree[i]!;
  const fill = adjStart.slice(0, n);
  for (let k = 0; 2 * k < endpoint.length; k++) {
    adj[fill[endpoint[2 * k]!]!++] = 2 * k + 1;
    adj[fill[endpoint[2 * k + 1]!]!++] = 2 * k;
  }
}

/** Counts each vertex's tight edges under the duals y into `free`; returns the largest count. */
function countTight(
  endpoint: Int32Array,
  quantised: Float64Array,
  y: Float64Array,
  free: Int32Array,
): number {
  let maxTight = 0;
  for (let e = 0; e < quantised.length; e++) {
    const a = endpoint[2 * e]!;
    const b = endpoint[2 * e + 1]!;
    if (y[a]! + y[b]! !== 2 * quantised[e]!) continue;
    const ca = ++free[a]!;
    const cb = ++free[b]!;
    if (ca > maxTight) maxTight = ca;
    if (cb > maxTight) maxTight = cb;
  }
  return maxTight;
}

/** The vertices by their count in 0..max, fewest first, by index among equals (counting sort). */
function orderByCount(count: Int32Array, max: number): Int32Array {
  const first = new Int32Array(max + 2);
  histogram(count, first);
  for (let d = 1; d <= max + 1; d++) first[d]! += first[d - 1]!;
  return placeByCount(count, first);
}

/** first[c + 1] counts the vertices with count c. */
function histogram(count: Int32Array, first: Int32Array): void {
  for (let v = 0; v < count.length; v++) first[count[v]! + 1]!++;
}

function placeByCount(count: Int32Array, first: Int32Array): Int32Array {
  const order = new Int32Array(count.length);
  for (let v = 0; v < count.length; v++) order[first[count[v]!]!++] = v;
  return order;
}

/**
 * Writes each vertex's partner into `out` (from the solver's arcs in `mate`); returns the total
 * weight, total quantised weight and number of the matched edges.
 */
function partners(
  mate: Int32Array,
  endpoint: Int32Array,
  edgeOrigin: Int32Array,
  quantised: Float64Array,
  weights: Float64Array,
  out: Int32Array,
): Float64Array {
  let total = 0;
  let totalQuantised = 0;
  let cardinality = 0;
  for (let v = 0; v < mate.length; v++) {
    const p = mate[v]!;
    if (p === -1) continue;
    const partner = endpoint[p]!;
    out[v] = partner;
    if (v < partner) {
      const e = p >> 1;
      total += weights[edgeOrigin[e]!]!;
      totalQuantised += quantised[e]!;
      cardinality++;
    }
  }
  return Float64Array.of(total, totalQuantised, cardinality);
}

/** Each vertex's innermost blossom, renumbered by `compact`, -1 when it is in none. */
function innermostBlossoms(parent: Int32Array, compact: Int32Array, out: Int32Array): void {
  for (let v = 0; v < out.length; v++) out[v] = parent[v] === -1 ? -1 : compact[parent[v]!]!;
}

let identityIds = new Int32Array(0);

/**
 * 0, 1, ..., n - 1, as a view of one array that grows as needed, so that callers copy it natively
 * instead of looping; it stays for the process (4 bytes per vertex of the largest solve).
 */
function identity(n: number): Int32Array {
  if (identityIds.length < n) {
    identityIds = new Int32Array(Math.max(n, 2 * identityIds.length));
    for (let i = 0; i < identityIds.length; i++) identityIds[i] = i;
  }
  return identityIds.subarray(0, n);
}

/** Growable binary min-heap of (clock value, event code) pairs. */
class EventHeap {
  private keys = new Float64Array(1024);
  private codes = new Int32Array(1024);
  size = 0;

  push(key: number, code: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const codes = new Int32Array(this.size * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
    const keysArr = this.keys;
    const codesArr = this.codes;
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      const k = keysArr[up]!;
      if (k <= key) break;
      keysArr[i] = k;
      codesArr[i] = codesArr[up]!;
      i = up;
    }
    keysArr[i] = key;
    codesArr[i] = code;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  topCode(): number {
    return this.codes[0]!;
  }

  pop(): void {
    const last = --this.size;
    this.siftDown(0, this.keys[last]!, this.codes[last]!);
  }

  /**
   * Gives every entry the key `revalue` returns for it, drops those it returns NaN for, and
   * restores the heap order bottom-up (linear in the entries).
   */
  compact(revalue: (key: number, code: number) => number): void {
    const keysArr = this.keys;
    const codesArr = this.codes;
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const key = revalue(keysArr[i]!, codesArr[i]!);
      if (Number.isNaN(key)) continue;
      keysArr[kept] = key;
      codesArr[kept] = codesArr[i]!;
      kept++;
    }
    this.size = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, keysArr[i]!, codesArr[i]!);
  }

  /** Places (key, code) at slot i or below it, among the first `size` slots. */
  private siftDown(start: number, key: number, code: number): void {
    const keysArr = this.keys;
    const codesArr = this.codes;
    const last = this.size;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && keysArr[child + 1]! < keysArr[child]!) child++;
      const k = keysArr[child]!;
      if (k >= key) break;
      keysArr[i] = k;
      codesArr[i] = codesArr[child]!;
      i = child;
    }
    keysArr[i] = key;
    codesArr[i] = code;
  }
}

/**
 * Vertices are 0..n-1 and double as trivial blossoms; non-trivial blossoms use ids n..2n-1.
 * Edges are referred to by "endpoints" p = 2e or 2e+1 with endpoint[p] the vertex at that end,
 * so p ^ 1 is the opposite end; mate[v] and labelEnd[b] hold the endpoint at the far side.
 */
class BlossomSolver {
  private readonly n: number;
  private readonly scale: number;
  private readonly edgeOrigin: Int32Array;
  private readonly endpoint: Int32Array;
  private readonly quantised: Float64Array;
  private readonly adjStart: Int32Array;
  private readonly adj: Int32Array;
  /**
   * Each vertex's edge heap (LEMON's per-node heaps): the first edgeCount[x] arcs of x's slice of
   * `adj` are a binary min-heap by edgeKey (same index), the clock value at which the arc's edge
   * becomes tight under the labels it was keyed with. Keys may be early, never late: a label change
   * that brings an edge's event forward re-keys the heap of the end that changed (`queueEdges`).
   * Re-keying leaves the slice unordered with its earliest arc first; it becomes a heap only when
   * a second arc is needed, since most vertices fire one edge (or none) before they are re-keyed.
   */
  private readonly edgeKey: Float64Array;
  private readonly edgeCount: Int32Array;
  private readonly edgeOrder: Uint8Array;
  /** Key of the vertex's live EVENT_EDGES entry in the event heap, +Infinity when it has none. */
  private readonly edgesQueuedAt: Float64Array;

  private readonly mate: Int32Array;
  private readonly y: Float64Array;
  private readonly inBlossom: Int32Array;
  private readonly parent: Int32Array;
  private readonly base: Int32Array;
  private readonly childs: (Int32Array | null)[];
  private readonly endps: (Int32Array | null)[];
  private readonly label: Uint8Array;
  private readonly labelEnd: Int32Array;
  /** Clock value at which the lazily applied dual change of a top-level blossom started. */
  private readonly stamp: Float64Array;
  private readonly z: Float64Array;
  /** Number of vertices in each blossom. */
  private readonly size: Int32Array;
  private readonly tree: Int32Array;
  private readonly treeNext: Int32Array;
  private readonly treePrev: Int32Array;
  private readonly treeHead: Int32Array;
  /** Released blossom ids, reused first; ids from `nextId` on (up to 2n - 1) were never used. */
  private readonly freeIds: Int32Array;
  private freeTop = 0;
  private nextId: number;
  private readonly mark: Int32Array;
  private markStamp = 0;
  private readonly leafBuf: Int32Array;
  private readonly flushBuf: Int32Array;
  private readonly stack: Int32Array;
  private readonly tasks: Int32Array;
  private readonly heap = new EventHeap();
  /** Heap size at which stale entries are dropped next (see `compactEvents`). */
  private compactAt = 0;
  /** Edges keyed plus events handled, against `run`'s work limit. */
  private work = 0;
  /**
   * -0, not 0, so that the field holds a double from the start: the clock takes fractional values
   * and values past V8's small integers, and a field that starts as a small integer changes
   * representation at the first of them, which deprecates the solver's map and deoptimises the
   * code already compiled against it ("wrong map" under --trace-deopt).
   */
  private clock = -0;
  private activeTrees = 0;

  constructor(n: number, u: Int32Array, v: Int32Array, w: Float64Array, scale: number) {
    this.n = n;
    this.scale = scale;
    // The loops are module functions of one loop each and the constructor has none (see
    // quantiseEdges).
    const all = new Float64Array(u.length);
    const degree = new Int32Array(n + 1);
    const y = new Float64Array(n);
    const m = quantiseEdges(n, u, v, w, scale, all, degree, y);
    this.edgeOrigin = new Int32Array(m);
    this.endpoint = new Int32Array(2 * m);
    this.quantised = new Float64Array(m);
    keepEdges(u, v, all, this.edgeOrigin, this.endpoint, this.quantised);
    this.adjStart = new Int32Array(n + 1);
    this.adj = new Int32Array(2 * m);
    buildAdjacency(degree, this.endpoint, this.adjStart, this.adj);

    this.edgeKey = new Float64Array(2 * m);
    this.edgeCount = new Int32Array(n);
    this.edgeOrder = new Uint8Array(n);
    this.edgesQueuedAt = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.mate = new Int32Array(n).fill(-1);
    this.y = y;
    this.inBlossom = new Int32Array(n);
    this.parent = new Int32Array(2 * n).fill(-1);
    this.base = new Int32Array(2 * n).fill(-1);
    this.childs = new Array<Int32Array | null>(2 * n).fill(null);
    this.endps = new Array<Int32Array | null>(2 * n).fill(null);
    this.label = new Uint8Array(2 * n);
    this.labelEnd = new Int32Array(2 * n).fill(-1);
    this.stamp = new Float64Array(2 * n);
    this.z = new Float64Array(2 * n);
    this.size = new Int32Array(2 * n).fill(1);
    this.tree = new Int32Array(2 * n).fill(-1);
    this.treeNext = new Int32Array(2 * n).fill(-1);
    this.treePrev = new Int32Array(2 * n).fill(-1);
    this.treeHead = new Int32Array(n).fill(-1);
    this.freeIds = new Int32Array(n);
    this.nextId = n;
    this.mark = new Int32Array(2 * n);
    this.leafBuf = new Int32Array(n);
    this.flushBuf = new Int32Array(n);
    this.stack = new Int32Array(2 * n);
    this.tasks = new Int32Array(3 * n);
    // Each vertex is its own top-level blossom and base.
    const ids = identity(n);
    this.inBlossom.set(ids);
    this.base.set(ids);
  }

  start(warm: WarmStart | undefined): void {
    if (warm) this.loadWarmStart(warm);
    else {
      // The constructor left each vertex at its heaviest edge.
      this.matchTightGreedily();
      this.lowerExposedDuals();
    }
    const count = this.plantRoots();
    this.activeTrees = count;
    this.scanRoots(count);
  }

  /** Every exposed vertex with a positive dual becomes an even root; listed in leafBuf. */
  private plantRoots(): number {
    const roots = this.leafBuf;
    const { mate, y, label } = this;
    let count = 0;
    for (let v = 0; v < this.n; v++) {
      if (mate[v] === -1 && y[v]! > 0) {
        label[v] = EVEN;
        this.treeAdd(v, v);
        roots[count++] = v;
      }
    }
    return count;
  }

  /** Only once every root is even: an edge between two roots is keyed at the even-even rate. */
  private scanRoots(count: number): void {
    const roots = this.leafBuf;
    for (let i = 0; i < count; i++) this.scanEven(roots[i]!);
  }

  /**
   * Under the starting duals (each vertex at its heaviest edge) an edge is tight when it is the
   * heaviest at both ends; matching such edges greedily is a valid start (matched edges tight, the
   * duals unchanged) and leaves only the rest as roots. Without it every vertex starts as a tree of
   * its own, and where weights tie (all edges tight at once) the trees merge, augment and dissolve
   * in long cascades, re-forming blossoms each time, before the few vertices that really need an
   * alternating search are reached. The order follows Karp and Sipser: a vertex left with one free
   * tight neighbour is matched to it at once (a maximum matching of the tight edges loses nothing
   * by that); otherwise vertices go by their number of tight edges, fewest first, each to its free
   * neighbour with the fewest free tight edges left.
   */
  private matchTightGreedily(): void {
    const { endpoint, quantised, mate, y } = this;
    const n = this.n;
    const free = new Int32Array(n);
    const maxTight = countTight(endpoint, quantised, y, free);
    const order = orderByCount(free, maxTight);
    const single = this.stack;
    let top = 0;
    for (let k = 0; k < n; k++) {
      while (top > 0) {
        const t = single[--top]!;
        if (mate[t] !== -1) continue;
        const p = this.pickTight(t, free);
        if (p !== -1) top = this.matchTight(t, p, free, top);
      }
      const v = order[k]!;
      if (mate[v] !== -1 || free[v] === 0) continue;
      const p = this.pickTight(v, free);
      if (p !== -1) top = this.matchTight(v, p, free, top);
    }
  }

  /**
   * After the greedy start an exposed vertex still holds the dual of its heaviest edge, whose other
   * end may well be matched. It needs only what its edges ask of it (the largest 2q - y_w over its
   * neighbours w, or 0): one that drops to 0 is no root at all, and one whose lower dual makes an
   * edge to another exposed vertex tight is matched along it. Every edge stays feasible and every
   * matched edge tight, so the start stays valid, with fewer roots to search from.
   */
  private lowerExposedDuals(): void {
    const { adj, adjStart, endpoint, quantised, mate, y } = this;
    for (let v = 0; v < this.n; v++) {
      if (mate[v] !== -1) continue;
      const start = adjStart[v]!;
      const end = adjStart[v + 1]!;
      let need = 0;
      for (let i = start; i < end; i++) {
        const p = adj[i]!;
        const r = 2 * quantised[p >> 1]! - y[endpoint[p]!]!;
        if (r > need) need = r;
      }
      y[v] = need;
      if (need === 0) continue;
      for (let i = start; i < end; i++) {
        const p = adj[i]!;
        const w = endpoint[p]!;
        if (mate[w] !== -1 || 2 * quantised[p >> 1]! - y[w]! !== need) continue;
        mate[v] = p;
        mate[w] = p ^ 1;
        break;
      }
    }
  }

  // The greedy start's steps are methods, not closures: a closure is a new function object on every
  // solve, and optimised code that called the previous one deoptimises ("wrong call target").

  /** v's free tight neighbour with the fewest free tight edges left, as an arc; -1 if none. */
  private pickTight(v: number, free: Int32Array): number {
    const { adj, adjStart, endpoint, quantised, mate, y } = this;
    let best = -1;
    const yv = y[v]!;
    for (let i = adjStart[v]!, end = adjStart[v + 1]!; i < end; i++) {
      const p = adj[i]!;
      const w = endpoint[p]!;
      if (mate[w] !== -1 || yv + y[w]! !== 2 * quantised[p >> 1]!) continue;
      if (best === -1 || free[w]! < free[endpoint[best]!]!) best = p;
    }
    return best;
  }

  /** Matches v along arc p; returns the new top of the stack of vertices left with one option. */
  private matchTight(v: number, p: number, free: Int32Array, top: number): number {
    const w = this.endpoint[p]!;
    this.mate[v] = p;
    this.mate[w] = p ^ 1;
    return this.unlistTight(w, free, this.unlistTight(v, free, top));
  }

  /** x is matched now: its free tight neighbours have one option fewer. */
  private unlistTight(x: number, free: Int32Array, top: number): number {
    const { adj, adjStart, endpoint, quantised, mate, y } = this;
    const single = this.stack;
    const yx = y[x]!;
    let t = top;
    for (let i = adjStart[x]!, end = adjStart[x + 1]!; i < end; i++) {
      const p = adj[i]!;
      const u = endpoint[p]!;
      if (mate[u] !== -1 || yx + y[u]! !== 2 * quantised[p >> 1]!) continue;
      if (--free[u]! === 1) single[t++] = u;
    }
    return t;
  }

  private loadWarmStart(warm: WarmStart): void {
    const n = this.n;
    if (warm.mate.length !== n || warm.vertexDual.length !== n)
      throw new RangeError('warm start has wrong length');
    for (let v = 0; v < n; v++) {
      const yv = warm.vertexDual[v]!;
      if (!(yv >= 0)) throw new RangeError(`warm start dual of ${v} is negative`);
      this.y[v] = yv;
    }
    for (let e = 0; e < this.quantised.length; e++) {
      const slack =
        this.y[this.endpoint[2 * e]!]! + this.y[this.endpoint[2 * e + 1]!]! - 2 * this.quantised[e]!;
      if (slack < 0) throw new RangeError('warm start is not dual-feasible');
    }
    for (let v = 0; v < n; v++) {
      const partner = warm.mate[v]!;
      if (partner === -1 || this.mate[v] !== -1) continue;
      if (warm.mate[partner] !== v) throw new RangeError('warm start mate is not symmetric');
      let found = -1;
      for (let i = this.adjStart[v]!; i < this.adjStart[v + 1]!; i++) {
        const p = this.adj[i]!;
        if (this.endpoint[p] !== partner) continue;
        if (this.y[v]! + this.y[partner]! === 2 * this.quantised[p >> 1]!) {
          found = p;
          break;
        }
      }
      if (found === -1) throw new RangeError(`warm start matches ${v}-${partner} without a tight edge`);
      this.mate[v] = found;
      this.mate[partner] = found ^ 1;
    }
  }

  /** Solves to the end and returns true, or returns false once past `workLimit` (see `work`). */
  run(workLimit: number): boolean {
    const heap = this.heap;
    const inBlossom = this.inBlossom;
    const label = this.label;
    // At most n augmentations or retired vertices, and between two of them a bounded number of
    // events per vertex and edge (see the cost above).
    const limit = EVENTS_PER_STAGE_ITEM * (this.n + 1) * (this.n + this.endpoint.length / 2 + 1);
    this.compactAt = COMPACT_PER_ITEM * (this.n + this.endpoint.length / 2) + 1024;
    for (let events = 0; this.activeTrees > 0; events++) {
      if (events > limit) throw new IterationLimitError('blossom: events', limit);
      if (++this.work > workLimit) return false;
      if (heap.size > this.compactAt) this.compactEvents();
      if (heap.size === 0) throw new Error('blossom: event queue ran dry with live trees');
      const key = heap.topKey();
      const code = heap.topCode();
      heap.pop();
      this.clock = key;
      const id = code >> 2;
      const type = code & 3;
      if (type === EVENT_EDGES) {
        // An older entry of a vertex whose edges were re-keyed since is superseded.
        if (key !== this.edgesQueuedAt[id]) continue;
        this.edgesQueuedAt[id] = Number.POSITIVE_INFINITY;
        this.serveEdges(id, key);
      } else if (type === EVENT_VERTEX) {
        if (label[inBlossom[id]!] === EVEN && this.dualOf(id) === 0) this.unmatch(id);
      } else if (
        type === EVENT_BLOSSOM &&
        this.childs[id] !== null &&
        this.parent[id] === -1 &&
        label[id] === ODD &&
        this.blossomDualOf(id) === 0
      ) {
        this.expand(id);
      }
    }
    return true;
  }

  /** Edges the solver keeps (self-loops and non-positive weights dropped). */
  get edgeTotal(): number {
    return this.quantised.length;
  }

  /** The fractional start (`fractional-start.ts`) for this graph, null past `workLimit`. */
  fractionalStart(workLimit: number): FractionalStart | null {
    return fractionalStart(this.n, this.endpoint, this.quantised, workLimit);
  }

  /**
   * Entries are never deleted when they go stale, and a vertex that changes label again and again
   * queues a vertex event each time (hubs used to queue all their edges too, before the per-vertex
   * edge heaps). Compaction re-validates every entry as if it had surfaced (an edge that
   * cannot act, a vertex or blossom no longer even or odd, goes; the others take their current
   * time, which entries may only be early for) and keeps one entry per edge, vertex or blossom, so
   * the heap stays within a few entries per vertex and edge. It runs when the heap has doubled
   * since the last one, so its cost is linear in the pushes that filled it.
   */
  private compactEvents(): void {
    const n = this.n;
    const seen = new Uint8Array(Math.max(2 * n, this.endpoint.length / 2) * 4);
    this.heap.compact((key, code) => {
      if (seen[code] === 1) return Number.NaN;
      seen[code] = 1;
      const id = code >> 2;
      const type = code & 3;
      if (type === EVENT_EDGES) return key === this.edgesQueuedAt[id] ? key : Number.NaN;
      if (type === EVENT_VERTEX)
        return this.label[this.inBlossom[id]!] === EVEN ? this.clock + this.dualOf(id) : Number.NaN;
      const oddTop = this.childs[id] !== null && this.parent[id] === -1 && this.label[id] === ODD;
      return oddTop ? this.clock + this.blossomDualOf(id) / 2 : Number.NaN;
    });
    this.compactAt = Math.max(this.compactAt, 2 * this.heap.size);
  }

  // The duals below are computed without branching on the label: (l >> 1) - (l & 1) is -1 for
  // EVEN, +1 for ODD and 0 for FREE (the sign of the vertex dual's change). Optimised code
  // compiled before a branch has run deoptimises when it first runs ("insufficient type feedback"
  // under --trace-deopt), and on a chain the even-even case first runs at the end of a solve, so
  // each such branch cost a recompilation in a process's first solves.

  private dualOf(v: number): number {
    const b = this.inBlossom[v]!;
    const l = this.label[b]!;
    return this.y[v]! + ((l >> 1) - (l & 1)) * (this.clock - this.stamp[b]!);
  }

  private blossomDualOf(b: number): number {
    if (this.parent[b] !== -1) return this.z[b]!;
    const l = this.label[b]!;
    return this.z[b]! + 2 * ((l & 1) - (l >> 1)) * (this.clock - this.stamp[b]!);
  }

  /** Writes the vertices of blossom b into out from index `from`; returns the end index. */
  private leaves(b: number, out: Int32Array, from: number): number {
    const n = this.n;
    if (b < n) {
      out[from] = b;
      return from + 1;
    }
    const stack = this.stack;
    let sp = 0;
    let k = from;
    stack[sp++] = b;
    while (sp > 0) {
      const x = stack[--sp]!;
      if (x < n) out[k++] = x;
      else {
        const ch = this.childs[x]!;
        for (let i = 0; i < ch.length; i++) stack[sp++] = ch[i]!;
      }
    }
    return k;
  }

  /** Materialises the lazily applied dual change of top-level blossom b up to the current clock. */
  private flush(b: number): void {
    const d = this.clock - this.stamp[b]!;
    this.stamp[b] = this.clock;
    const l = this.label[b];
    if (d === 0 || l === FREE) return;
    const sign = l === EVEN ? -1 : 1;
    if (b < this.n) {
      this.y[b]! += sign * d;
      return;
    }
    this.z[b]! -= 2 * sign * d;
    const buf = this.flushBuf;
    const end = this.leaves(b, buf, 0);
    for (let i = 0; i < end; i++) this.y[buf[i]!]! += sign * d;
  }

  private treeAdd(b: number, tid: number): void {
    this.tree[b] = tid;
    const head = this.treeHead[tid]!;
    this.treePrev[b] = -1;
    this.treeNext[b] = head;
    if (head !== -1) this.treePrev[head] = b;
    this.treeHead[tid] = b;
  }

  private treeRemove(b: number): void {
    const tid = this.tree[b]!;
    const prev = this.treePrev[b]!;
    const next = this.treeNext[b]!;
    if (prev === -1) this.treeHead[tid] = next;
    else this.treeNext[prev] = next;
    if (next !== -1) this.treePrev[next] = prev;
    this.tree[b] = -1;
  }

  /**
   * Re-keys the edge heap of a vertex that has just become even or free (or whose blossom's label
   * changed): every edge that can act (even-even, or even-free across top-level blossoms) gets the
   * clock value at which it becomes tight, and the vertex's event entry the earliest of them. Each
   * key holds while both ends keep their labels, so events then cost a heap step, not a rescan.
   */
  private queueEdges(x: number): void {
    const adj = this.adj;
    const endpoint = this.endpoint;
    const inBlossom = this.inBlossom;
    const label = this.label;
    const quantised = this.quantised;
    const edgeKey = this.edgeKey;
    const bx = inBlossom[x]!;
    const lx = label[bx]!;
    const start = this.adjStart[x]!;
    const end = this.adjStart[x + 1]!;
    let best = Number.POSITIVE_INFINITY;
    let bestAt = start;
    // The edges that can act are moved to the front of the slice: they are the heap.
    let last = start;
    if (lx !== ODD) {
      const yx = this.dualOf(x);
      const y = this.y;
      const stamp = this.stamp;
      const clock = this.clock;
      for (let i = start; i < end; i++) {
        const p = adj[i]!;
        const w = endpoint[p]!;
        const bw = inBlossom[w]!;
        const lw = label[bw]!;
        if (bw === bx || lw === ODD || (lx === FREE && lw === FREE)) continue;
        // dualOf(w) with its blossom and label already at hand (lw is EVEN or FREE here, lw & 1
        // is 1 for EVEN): this loop is the solver's hottest. Without branches, see dualOf.
        const yw = y[w]! - (lw & 1) * (clock - stamp[bw]!);
        const slack = yx + yw - 2 * quantised[p >> 1]!;
        // An even-even slack closes at twice the rate (lx & lw is 1 only for both EVEN).
        const key = clock + slack / (1 + (lx & lw & 1));
        adj[i] = adj[last]!;
        adj[last] = p;
        edgeKey[last] = key;
        if (key < best) {
          best = key;
          bestAt = last;
        }
        last++;
      }
    }
    this.edgeCount[x] = last - start;
    this.work += end - start;
    if (last === start) return;
    const first = adj[start]!;
    adj[start] = adj[bestAt]!;
    adj[bestAt] = first;
    edgeKey[bestAt] = edgeKey[start]!;
    edgeKey[start] = best;
    this.edgeOrder[x] = EDGES_EARLIEST_FIRST;
    if (best < this.edgesQueuedAt[x]!) {
      this.heap.push(best, x * 4 + EVENT_EDGES);
      this.edgesQueuedAt[x] = best;
    }
  }

  /**
   * x's event entry surfaced at clock `key`: its edge heap's earliest edges are re-validated
   * (dropped when they can no longer act, re-keyed when an end changed label since) until one is
   * due now, which fires; the entry is then queued again at the heap's new earliest key.
   */
  private serveEdges(x: number, key: number): void {
    if (this.label[this.inBlossom[x]!] === ODD) {
      this.edgeCount[x] = 0;
      return;
    }
    const start = this.adjStart[x]!;
    const edgeKey = this.edgeKey;
    const adj = this.adj;
    const order = this.edgeOrder;
    for (;;) {
      const count = this.edgeCount[x]!;
      if (count === 0) return;
      if (order[x] === EDGES_UNORDERED) {
        for (let i = (count >> 1) - 1; i >= 0; i--)
          this.siftEdge(start, count, i, adj[start + i]!, edgeKey[start + i]!);
        order[x] = EDGES_ORDERED;
      }
      const top = edgeKey[start]!;
      if (top > key) {
        this.heap.push(top, x * 4 + EVENT_EDGES);
        this.edgesQueuedAt[x] = top;
        return;
      }
      const p = adj[start]!;
      const due = this.edgeEventTime(p >> 1);
      const ordered = order[x] === EDGES_ORDERED;
      if (due > key) {
        if (ordered) this.siftEdge(start, count, 0, p, due);
        else {
          edgeKey[start] = due;
          order[x] = EDGES_UNORDERED;
        }
        continue;
      }
      // The last arc of the heap moves to the top and p to the slot it left, so that the slice
      // still holds every arc of x.
      const last = start + count - 1;
      this.edgeCount[x] = count - 1;
      if (ordered) this.siftEdge(start, count - 1, 0, adj[last]!, edgeKey[last]!);
      else {
        adj[start] = adj[last]!;
        edgeKey[start] = edgeKey[last]!;
        order[x] = EDGES_UNORDERED;
      }
      adj[last] = p;
      // An entry is never late, so `due` is `key` or NaN (the edge can no longer act).
      if (due !== key) continue;
      this.fireEdge(p);
      // Firing may have re-keyed x's edges (and queued x) or left them as they were.
      if (this.edgeCount[x]! > 0) {
        const next = order[x] === EDGES_UNORDERED ? key : Math.max(key, edgeKey[start]!);
        if (next < this.edgesQueuedAt[x]!) {
          this.heap.push(next, x * 4 + EVENT_EDGES);
          this.edgesQueuedAt[x] = next;
        }
      }
      return;
    }
  }

  /** Places (arc, key) at heap slot i or below it, in the edge heap of `count` arcs from `start`. */
  private siftEdge(start: number, count: number, slot: number, arc: number, key: number): void {
    const adj = this.adj;
    const edgeKey = this.edgeKey;
    let i = slot;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= count) break;
      if (child + 1 < count && edgeKey[start + child + 1]! < edgeKey[start + child]!) child++;
      const k = edgeKey[start + child]!;
      if (k >= key) break;
      edgeKey[start + i] = k;
      adj[start + i] = adj[start + child]!;
      i = child;
    }
    edgeKey[start + i] = key;
    adj[start + i] = arc;
  }

  /**
   * Clock value at which edge e becomes tight between an even and an even-or-free top-level
   * blossom under the current labels, NaN while it cannot act.
   */
  private edgeEventTime(e: number): number {
    const a = this.endpoint[2 * e]!;
    const b = this.endpoint[2 * e + 1]!;
    const ba = this.inBlossom[a]!;
    const bb = this.inBlossom[b]!;
    if (ba === bb) return Number.NaN;
    const la = this.label[ba]!;
    const lb = this.label[bb]!;
    if (la === ODD || lb === ODD || (la === FREE && lb === FREE)) return Number.NaN;
    const slack = this.dualOf(a) + this.dualOf(b) - 2 * this.quantised[e]!;
    return this.clock + slack / (1 + (la & lb & 1));
  }

  /**
   * v has just become even: its edges are keyed, and its dual's zero queued unless the root's
   * comes first. Every even vertex of a tree loses dual at the same rate as the tree's root (the
   * vertex whose id the tree carries), so one whose dual is not below the root's can reach 0 only
   * after the root has, when the root's event has dissolved the tree (a later tree queues v again).
   * On a chain that keeps thousands of entries out of the event heap.
   */
  private scanEven(v: number): void {
    const dual = this.dualOf(v);
    const root = this.tree[this.inBlossom[v]!]!;
    if (v === root || dual < this.dualOf(root)) this.heap.push(this.clock + dual, v * 4 + EVENT_VERTEX);
    this.queueEdges(v);
  }

  /** An edge with far endpoint p, seen from the vertex at p ^ 1, is tight now. */
  private fireEdge(p: number): void {
    const e = p >> 1;
    const ba = this.inBlossom[this.endpoint[2 * e]!]!;
    const bb = this.inBlossom[this.endpoint[2 * e + 1]!]!;
    const la = this.label[ba];
    const lb = this.label[bb];
    if (la === EVEN && lb === EVEN) {
      if (this.tree[ba] === this.tree[bb])
        this.addBlossom(this.findBase(this.endpoint[2 * e]!, this.endpoint[2 * e + 1]!), e);
      else this.augmentEdge(e);
    } else if (la === EVEN) this.grow(2 * e + 1);
    else this.grow(2 * e);
  }

  private setLabel(b: number, l: number, end: number, tid: number): void {
    this.flush(b);
    this.label[b] = l;
    this.labelEnd[b] = end;
    if (tid !== -1) this.treeAdd(b, tid);
  }

  /** Tight edge from an even vertex to endpoint pv, whose top-level blossom is free. */
  private grow(pv: number): void {
    const v = this.endpoint[pv]!;
    const u = this.endpoint[pv ^ 1]!;
    const bv = this.inBlossom[v]!;
    const tid = this.tree[this.inBlossom[u]!]!;
    const baseMate = this.mate[this.base[bv]!]!;
    if (baseMate === -1) {
      // A free blossom whose base is exposed with y = 0: the tree path plus this edge augments.
      if (bv >= this.n) this.augmentBlossom(bv, v);
      this.mate[v] = pv ^ 1;
      this.augmentPath(u, pv);
      this.destroyTree(tid);
      this.activeTrees--;
      return;
    }
    this.setLabel(bv, ODD, pv ^ 1, tid);
    if (bv >= this.n) this.heap.push(this.clock + this.z[bv]! / 2, bv * 4 + EVENT_BLOSSOM);
    const bw = this.inBlossom[this.endpoint[baseMate]!]!;
    this.setLabel(bw, EVEN, this.mate[this.base[bw]!]!, tid);
    const end = this.leaves(bw, this.leafBuf, 0);
    for (let i = 0; i < end; i++) this.scanEven(this.leafBuf[i]!);
  }

  /** Base vertex of the blossom closed by an even-even edge inside one tree. */
  private findBase(a: number, b: number): number {
    const stampValue = ++this.markStamp;
    let v = a;
    let w = b;
    while (v !== -1) {
      const bv = this.inBlossom[v]!;
      if (this.mark[bv] === stampValue) return this.base[bv]!;
      this.mark[bv] = stampValue;
      const le = this.labelEnd[bv]!;
      if (le === -1) v = -1;
      else v = this.endpoint[this.labelEnd[this.inBlossom[this.endpoint[le]!]!]!]!;
      if (w !== -1) {
        const t = v;
        v = w;
        w = t;
      }
    }
    throw new Error('blossom: even-even edge inside one tree without a common ancestor');
  }

  private addBlossom(baseVertex: number, e: number): void {
    const endpoint = this.endpoint;
    const inBlossom = this.inBlossom;
    const labelEnd = this.labelEnd;
    const bb = inBlossom[baseVertex]!;
    let bv = inBlossom[endpoint[2 * e]!]!;
    let bw = inBlossom[endpoint[2 * e + 1]!]!;
    const path: number[] = [];
    const ends: number[] = [];
    while (bv !== bb) {
      path.push(bv);
      ends.push(labelEnd[bv]!);
      bv = inBlossom[endpoint[labelEnd[bv]!]!]!;
    }
    path.push(bb);
    path.reverse();
    ends.reverse();
    ends.push(2 * e);
    while (bw !== bb) {
      path.push(bw);
      ends.push(labelEnd[bw]! ^ 1);
      bw = inBlossom[endpoint[labelEnd[bw]!]!]!;
    }
    const tid = this.tree[bb]!;
    const newLabelEnd = labelEnd[bb]!;
    const wasOdd: boolean[] = [];
    let largest = -1;
    let total = 0;
    for (let k = 0; k < path.length; k++) {
      const c = path[k]!;
      this.flush(c);
      wasOdd.push(this.label[c] === ODD);
      this.treeRemove(c);
      total += this.size[c]!;
      if (c >= this.n && (largest === -1 || this.size[c]! > this.size[path[largest]!]!)) largest = k;
    }
    // The new blossom takes over the id of its largest child, whose vertices then keep their
    // inBlossom entry; the child moves to a fresh id. Relabelling every vertex instead costs the
    // size of the blossom each time, and a blossom that absorbs its neighbours one cycle at a time
    // (common where weights tie) would make that quadratic.
    let b: number;
    if (largest === -1) b = this.newBlossomId();
    else {
      b = path[largest]!;
      const moved = this.newBlossomId();
      const grandchildren = this.childs[b]!;
      this.childs[moved] = grandchildren;
      this.endps[moved] = this.endps[b]!;
      this.base[moved] = this.base[b]!;
      this.z[moved] = this.z[b]!;
      this.size[moved] = this.size[b]!;
      for (let i = 0; i < grandchildren.length; i++) this.parent[grandchildren[i]!] = moved;
      path[largest] = moved;
    }
    for (const c of path) this.parent[c] = b;
    this.childs[b] = Int32Array.from(path);
    this.endps[b] = Int32Array.from(ends);
    this.base[b] = baseVertex;
    this.size[b] = total;
    this.parent[b] = -1;
    this.z[b] = 0;
    this.stamp[b] = this.clock;
    this.label[b] = EVEN;
    labelEnd[b] = newLabelEnd;
    this.treeAdd(b, tid);
    const buf = this.leafBuf;
    for (let k = 0; k < path.length; k++) {
      if (k === largest) continue;
      const end = this.leaves(path[k]!, buf, 0);
      for (let i = 0; i < end; i++) inBlossom[buf[i]!] = b;
    }
    for (let k = 0; k < path.length; k++) {
      if (!wasOdd[k]) continue;
      const cend = this.leaves(path[k]!, buf, 0);
      for (let i = 0; i < cend; i++) this.scanEven(buf[i]!);
    }
  }

  /** Odd blossom whose dual reached zero: its children become top-level blossoms. */
  private expand(b: number): void {
    this.flush(b);
    const ep = this.endps[b]!;
    const len = ep.length;
    const tid = this.tree[b]!;
    const entryEnd = this.labelEnd[b]!;
    this.treeRemove(b);
    // The largest child takes over b's id, so that its vertices keep their inBlossom entry (see
    // addBlossom); b's old record is what is freed.
    const ch = this.childs[b]!.slice();
    let largest = -1;
    for (let k = 0; k < len; k++) {
      const c = ch[k]!;
      if (c >= this.n && (largest === -1 || this.size[c]! > this.size[ch[largest]!]!)) largest = k;
    }
    let freed = b;
    if (largest !== -1) {
      freed = ch[largest]!;
      const grandchildren = this.childs[freed]!;
      this.childs[b] = grandchildren;
      this.endps[b] = this.endps[freed]!;
      this.base[b] = this.base[freed]!;
      this.z[b] = this.z[freed]!;
      this.size[b] = this.size[freed]!;
      for (let i = 0; i < grandchildren.length; i++) this.parent[grandchildren[i]!] = b;
      ch[largest] = b;
    }
    const buf = this.leafBuf;
    for (let k = 0; k < len; k++) {
      const c = ch[k]!;
      this.parent[c] = -1;
      this.stamp[c] = this.clock;
      this.label[c] = FREE;
      this.labelEnd[c] = -1;
      if (k === largest) continue;
      const end = this.leaves(c, buf, 0);
      for (let i = 0; i < end; i++) this.inBlossom[buf[i]!] = c;
    }
    // The children on the even-length side of the cycle from the entry child to the base child
    // take over b's place in the tree; the rest are matched among themselves and become free.
    let idx = ch.indexOf(this.inBlossom[this.endpoint[entryEnd ^ 1]!]!);
    const forward = (idx & 1) === 1;
    let end = entryEnd;
    for (let step = 0; ; step++) {
      const c = ch[idx]!;
      this.label[c] = (step & 1) === 0 ? ODD : EVEN;
      this.labelEnd[c] = end;
      this.treeAdd(c, tid);
      if (idx === 0) break;
      if (forward) {
        end = ep[idx]!;
        idx = idx + 1 === len ? 0 : idx + 1;
      } else {
        end = ep[idx - 1]! ^ 1;
        idx--;
      }
    }
    for (let k = 0; k < len; k++) {
      const c = ch[k]!;
      const l = this.label[c];
      if (l === ODD) {
        if (c >= this.n) this.heap.push(this.clock + this.z[c]! / 2, c * 4 + EVENT_BLOSSOM);
        continue;
      }
      const cend = this.leaves(c, buf, 0);
      if (l === EVEN) for (let i = 0; i < cend; i++) this.scanEven(buf[i]!);
      else for (let i = 0; i < cend; i++) this.queueEdges(buf[i]!);
    }
    this.release(freed);
  }

  private newBlossomId(): number {
    return this.freeTop > 0 ? this.freeIds[--this.freeTop]! : this.nextId++;
  }

  /** Returns a blossom id that no longer names a blossom to the free list. */
  private release(b: number): void {
    this.childs[b] = null;
    this.endps[b] = null;
    this.label[b] = FREE;
    this.labelEnd[b] = -1;
    this.base[b] = -1;
    this.parent[b] = -1;
    this.tree[b] = -1;
    this.freeIds[this.freeTop++] = b;
  }

  /**
   * Rotates blossom b so that its vertex v becomes the base, flipping the matching along the
   * even-length side of every cycle on the way down. Nesting can be as deep as n/2, so the work is
   * an explicit stack of (blossom, target vertex, child holding the target) tasks; the tasks touch
   * disjoint vertices, so their order does not matter.
   */
  private augmentBlossom(b: number, v: number): void {
    const tasks = this.tasks;
    let sp = this.pushRotations(b, v, 0);
    while (sp > 0) {
      const t = tasks[--sp]!;
      const target = tasks[--sp]!;
      const x = tasks[--sp]!;
      this.base[x] = target;
      const ch = this.childs[x]!;
      const ep = this.endps[x]!;
      const len = ch.length;
      const i = ch.indexOf(t);
      if (i === 0) continue;
      const forward = (i & 1) === 1;
      for (let k = forward ? i + 1 : i - 2; forward ? k < len : k >= 0; k += forward ? 2 : -2) {
        const p = ep[k]!;
        const c = ch[k]!;
        const d = ch[k + 1 === len ? 0 : k + 1]!;
        const va = this.endpoint[p]!;
        const vb = this.endpoint[p ^ 1]!;
        if (c >= this.n) sp = this.pushRotations(c, va, sp);
        if (d >= this.n) sp = this.pushRotations(d, vb, sp);
        this.mate[va] = p ^ 1;
        this.mate[vb] = p;
      }
      // Rotated in place through a scratch buffer: a fresh pair of arrays per rotation made
      // augmentations through many small blossoms (triangles) mostly garbage collection.
      const scratch = this.flushBuf;
      for (let k = 0; k < len; k++) scratch[k] = ch[(i + k) % len]!;
      ch.set(scratch.subarray(0, len));
      for (let k = 0; k < len; k++) scratch[k] = ep[(i + k) % len]!;
      ep.set(scratch.subarray(0, len));
    }
  }

  /** Queues the rotation to v of every blossom from v's innermost one up to b. */
  private pushRotations(b: number, v: number, sp: number): number {
    const tasks = this.tasks;
    let child = v;
    let x = this.parent[v]!;
    // Blossoms nest at most n/2 deep.
    for (let depth = 0; ; depth++) {
      if (depth > this.n) throw new IterationLimitError('blossom: nesting walk', this.n + 1);
      tasks[sp++] = x;
      tasks[sp++] = v;
      tasks[sp++] = child;
      if (x === b) return sp;
      child = x;
      x = this.parent[x]!;
    }
  }

  /** Flips the tree path from even vertex s to its root; s gets matched to endpoint p (or exposed). */
  private augmentPath(start: number, startEnd: number): void {
    const n = this.n;
    const endpoint = this.endpoint;
    let s = start;
    let p = startEnd;
    // A tree path passes each vertex once.
    for (let steps = 0; ; steps++) {
      if (steps > n) throw new IterationLimitError('blossom: augmenting path', n + 1);
      const bs = this.inBlossom[s]!;
      if (bs >= n) this.augmentBlossom(bs, s);
      this.mate[s] = p;
      const le = this.labelEnd[bs]!;
      if (le === -1) return;
      const bt = this.inBlossom[endpoint[le]!]!;
      const lt = this.labelEnd[bt]!;
      s = endpoint[lt]!;
      const j = endpoint[lt ^ 1]!;
      if (bt >= n) this.augmentBlossom(bt, j);
      this.mate[j] = lt;
      p = lt ^ 1;
    }
  }

  private augmentEdge(e: number): void {
    const a = this.endpoint[2 * e]!;
    const b = this.endpoint[2 * e + 1]!;
    const ta = this.tree[this.inBlossom[a]!]!;
    const tb = this.tree[this.inBlossom[b]!]!;
    this.augmentPath(a, 2 * e + 1);
    this.augmentPath(b, 2 * e);
    this.destroyTree(ta);
    this.destroyTree(tb);
    this.activeTrees -= 2;
  }

  /** An even vertex's dual reached zero: it becomes the exposed base of its blossom, for good. */
  private unmatch(v: number): void {
    const tid = this.tree[this.inBlossom[v]!]!;
    this.augmentPath(v, -1);
    this.destroyTree(tid);
    this.activeTrees--;
  }

  private destroyTree(tid: number): void {
    const buf = this.leafBuf;
    let end = 0;
    for (let b = this.treeHead[tid]!; b !== -1; b = this.treeNext[b]!) {
      this.flush(b);
      // An even vertex that turns free only delays the events of its edges (to even vertices of
      // other trees: the slack now closes at half the rate), and the entries already queued for
      // them fire early and re-queue. An odd one's edges to even vertices start to count only now.
      if (this.label[b] === ODD) end = this.leaves(b, buf, end);
      this.label[b] = FREE;
      this.labelEnd[b] = -1;
      this.tree[b] = -1;
    }
    this.treeHead[tid] = -1;
    for (let i = 0; i < end; i++) this.queueEdges(buf[i]!);
  }

  result(originalWeights: Float64Array): MatchingResult {
    const n = this.n;
    const mate = new Int32Array(n).fill(-1);
    const sums = partners(this.mate, this.endpoint, this.edgeOrigin, this.quantised, originalWeights, mate);
    // Ids from nextId on never named a blossom.
    const used = this.nextId;
    const compact = new Int32Array(used).fill(-1);
    let nb = 0;
    for (let b = n; b < used; b++) if (this.childs[b] !== null) compact[b] = nb++;
    const vertexBlossom = new Int32Array(n);
    innermostBlossoms(this.parent, compact, vertexBlossom);
    const blossomParent = new Int32Array(nb);
    const blossomDual = new Float64Array(nb);
    const blossomSize = new Int32Array(nb);
    for (let b = n; b < used; b++) {
      const k = compact[b]!;
      if (k === -1) continue;
      blossomParent[k] = this.parent[b] === -1 ? -1 : compact[this.parent[b]!]!;
      blossomDual[k] = this.z[b]!;
      blossomSize[k] = this.size[b]!;
    }
    const scale = this.scale;
    return {
      mate,
      total: sums[0]!,
      totalQuantised: sums[1]!,
      cardinality: sums[2]!,
      duals: {
        scale,
        unit: 1 / (2 * scale),
        vertex: this.y.slice(),
        vertexBlossom,
        blossomParent,
        blossomDual,
        blossomSize,
      },
    };
  }
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
keepShape(new BlossomSolver(0, new Int32Array(0), new Int32Array(0), new Float64Array(0), 0.5));
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
