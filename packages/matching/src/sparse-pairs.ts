/**
 * Exact maximum-weight peer pairing without solving the dense graph: solve a sparse top-k candidate
 * graph, then price every left-out pair against the optimal duals. A pair uv whose dual slack
 * y_u + y_v + sum(z_B : u, v in B) - 2w is >= 0 cannot improve the matching (the duals stay a
 * certificate with it in the graph), so once no allowed pair has negative slack the sparse optimum
 * is an optimum of the dense graph. Violators are added and the solve resumes from the previous
 * duals until none is left.
 *
 * Exactness is with respect to the weights quantised to multiples of 1/scale (blossom.ts), which is
 * what makes the pricing test exact; measured in the unquantised weights the pairing is within
 * n / (2 * scale) of the dense optimum (n * 2^-21 with the default scale).
 */
import {
  DEFAULT_SCALE,
  DualCertificate,
  type MatchingResult,
  maxWeightMatching,
  quantiseWeight,
  type WarmStart,
  warmStartFrom,
} from './blossom.ts';
import { keepShape } from './keep-shape.ts';

/**
 * Weight of pairing u with v (called with u < v only, so it must be symmetric in meaning), or null
 * when a hard rule forbids the pair. Pairs with weight <= 0 are never worth matching.
 */
export type PairWeight = (u: number, v: number) => number | null;

/**
 * The weights of a whole row at once: out[j] is the weight of (u, u + 1 + j), -Infinity or NaN
 * where the pair is forbidden; it must agree with the pair weight function.
 */
export type RowWeights = (u: number, out: Float64Array) => void;

export interface PeerPairsOptions {
  /** Candidates per vertex, default 10. */
  readonly k?: number;
  /** Weight quantisation factor (see blossom.ts), default 2^20. */
  readonly scale?: number;
  /** Resume each re-solve from the previous duals instead of from scratch, default true. */
  readonly warmStart?: boolean;
  /**
   * Pair weights are evaluated once and kept when the number of pairs is at most this, default
   * 2^23 (64 MiB); above it the weight function is called again on every pricing pass.
   */
  readonly maxCachedPairs?: number;
  /**
   * Row reads go through this instead of one weight call per pair, for weight functions that
   * score a row much faster in one pass.
   */
  readonly rowWeights?: RowWeights;
}

export interface PeerPairsResult {
  /** mate[v] is v's peer, -1 when unpaired. */
  readonly mate: Int32Array;
  /** Sum of the weights of the chosen pairs. */
  readonly total: number;
  /** Sum of the quantised weights (round(w * scale)) of the chosen pairs. */
  readonly totalQuantised: number;
  /** Re-solves caused by pricing violators; 0 when the candidate graph was already optimal. */
  readonly rounds: number;
  /** Pairs added to the candidate graph by pricing. */
  readonly edgesAdded: number;
  /** Edges of the final graph that was solved. */
  readonly graphEdges: number;
  /** The pairing is a maximum-weight matching of the dense graph of all allowed (quantised) pairs. */
  readonly provedOptimal: true;
}

const DEFAULT_K = 10;
const DEFAULT_MAX_CACHED_PAIRS = 2 ** 23;

/** Growable parallel edge arrays. */
class EdgeList {
  u = new Int32Array(1024);
  v = new Int32Array(1024);
  w = new Float64Array(1024);
  size = 0;

  add(a: number, b: number, weight: number): void {
    if (this.size === this.u.length) {
      const cap = this.size * 2;
      const u = new Int32Array(cap);
      u.set(this.u);
      this.u = u;
      const v = new Int32Array(cap);
      v.set(this.v);
      this.v = v;
      const w = new Float64Array(cap);
      w.set(this.w);
      this.w = w;
    }
    this.u[this.size] = a;
    this.v[this.size] = b;
    this.w[this.size] = weight;
    this.size++;
  }

  solve(n: number, scale: number, warmStart: WarmStart | undefined): MatchingResult {
    const s = this.size;
    return maxWeightMatching(n, this.u.subarray(0, s), this.v.subarray(0, s), this.w.subarray(0, s), {
      scale,
      warmStart,
    });
  }
}

/**
 * Quantised pair weights row by row: row(u)[j] is round(w * scale) for the pair (u, u + 1 + j), NaN
 * when the pair is forbidden or worthless (quantised weight <= 0). When the triangle is small
 * enough the rows are kept as they are first computed (rows are first read in order 0..n-1),
 * otherwise every read calls the weight function again.
 */
class PairTable {
  private readonly cache: Float64Array | null;
  private readonly scratch: Float64Array;
  private cachedRows = 0;

  private readonly n: number;
  private readonly weight: PairWeight;
  private readonly scale: number;
  private readonly rowWeights: RowWeights | undefined;
  constructor(
    n: number,
    weight: PairWeight,
    scale: number,
    maxCachedPairs: number,
    rowWeights: RowWeights | undefined,
  ) {
    this.n = n;
    this.weight = weight;
    this.scale = scale;
    this.rowWeights = rowWeights;
    const pairs = (n * (n - 1)) / 2;
    this.cache = pairs > maxCachedPairs ? null : new Float64Array(pairs);
    this.scratch = new Float64Array(this.cache === null ? n : 0);
  }

  row(u: number): Float64Array {
    const len = this.n - u - 1;
    if (this.cache === null) return this.compute(u, this.scratch.subarray(0, len));
    const offset = (u * (2 * this.n - u - 1)) / 2;
    const out = this.cache.subarray(offset, offset + len);
    if (u < this.cachedRows) return out;
    this.cachedRows = u + 1;
    return this.compute(u, out);
  }

  /** Quantised weight of the pair (u, v), u < v, as `row` would give it, without scoring u's whole row. */
  pair(u: number, v: number): number {
    if (this.cache !== null && u < this.cachedRows)
      return this.cache[(u * (2 * this.n - u - 1)) / 2 + v - u - 1]!;
    const w = this.weight(u, v);
    const q = w === null ? 0 : quantiseWeight(w, this.scale);
    return q > 0 ? q : Number.NaN;
  }

  private compute(u: number, out: Float64Array): Float64Array {
    if (this.rowWeights !== undefined) {
      this.rowWeights(u, out);
      const scale = this.scale;
      for (let j = 0; j < out.length; j++) {
        // round(x) > 0 exactly when x >= 0.5; forbidden pairs (-Infinity, NaN) fail that test along
        // with worthless ones, and are never rounded.
        const x = out[j]! * scale;
        out[j] = x >= 0.5 ? Math.round(x) : Number.NaN;
      }
      return out;
    }
    for (let j = 0; j < out.length; j++) {
      const w = this.weight(u, u + 1 + j);
      const q = w === null ? 0 : quantiseWeight(w, this.scale);
      out[j] = q > 0 ? q : Number.NaN;
    }
    return out;
  }
}

/**
 * Order among pairs of equal weight: a hash of the pair, the same from either end. Breaking ties by
 * index instead gives every vertex the same few lowest-numbered partners when weights tie (a thin
 * profile, coarse scores); the candidate graph is then a star that matches almost nobody, and
 * pricing has to add nearly every pair. Hashed, each vertex's tied partners are a spread sample, and
 * the candidate graph holds a near-perfect matching of its heaviest pairs.
 */
function tieKey(u: number, v: number): number {
  let x = Math.imul(Math.min(u, v), 0x9e3779b1) ^ Math.imul(Math.max(u, v), 0x85ebca77);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return (x ^ (x >>> 12)) >>> 0;
}

/**
 * The k best partners of every vertex (highest quantised weight, then lowest `tieKey`), kept as
 * sorted rows of a flat array so that rejecting a pair that is worse than a full row's last entry is
 * O(1).
 */
class TopK {
  readonly count: Int32Array;
  readonly who: Int32Array;
  readonly weight: Float64Array;
  /**
   * Weight of each full list's last entry, -Infinity while the list has room: a pair lighter than
   * both endpoints' floors enters neither list, which one comparison per endpoint settles.
   */
  readonly floor: Float64Array;

  readonly k: number;
  constructor(n: number, k: number) {
    this.k = k;
    this.count = new Int32Array(n);
    this.who = new Int32Array(n * k);
    this.weight = new Float64Array(n * k);
    this.floor = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  }

  /** Whether v at weight w would enter u's list; most pairs fail this once the lists fill up. */
  admits(u: number, v: number, w: number): boolean {
    if (this.count[u]! < this.k) return true;
    const last = u * this.k + this.k - 1;
    const lw = this.weight[last]!;
    return w > lw || (w === lw && tieKey(u, v) < tieKey(u, this.who[last]!));
  }

  /** Inserts v into u's list; callers check `admits` first. */
  offer(u: number, v: number, w: number): void {
    const { k, who, weight } = this;
    const row = u * k;
    let c = this.count[u]!;
    if (c === k) c--;
    else this.count[u] = c + 1;
    let i = row + c;
    const key = tieKey(u, v);
    while (i > row) {
      const pw = weight[i - 1]!;
      if (pw > w || (pw === w && tieKey(u, who[i - 1]!) < key)) break;
      weight[i] = pw;
      who[i] = who[i - 1]!;
      i--;
    }
    weight[i] = w;
    who[i] = v;
    if (this.count[u] === k) this.floor[u] = weight[row + k - 1]!;
  }

  lists(u: number, v: number): boolean {
    for (let i = u * this.k, end = u * this.k + this.count[u]!; i < end; i++)
      if (this.who[i] === v) return true;
    return false;
  }
}

/**
 * The sparse graph plus, per vertex, a bound on the quantised weight of every pair left out of it:
 * a left-out pair is in neither endpoint's list, so it weighs at most the last entry of each list
 * that filled up; a vertex whose list never filled has all its pairs in the graph (bound -Infinity).
 */
interface CandidateGraph {
  edges: EdgeList;
  leftOutBound: Float64Array;
}

function candidateGraph(n: number, k: number, table: PairTable, scale: number): CandidateGraph {
  const edges = new EdgeList();
  if (k <= 0) return { edges, leftOutBound: new Float64Array(n).fill(Number.POSITIVE_INFINITY) };
  const top = new TopK(n, k);
  const floor = top.floor;
  for (let u = 0; u < n; u++) {
    const row = table.row(u);
    for (let j = 0; j < row.length; j++) {
      const w = row[j]!;
      // Almost every pair is below both floors once the lists fill; NaN (not allowed) is not, and
      // is skipped just after.
      if (w < floor[u]! && w < floor[u + 1 + j]!) continue;
      if (Number.isNaN(w)) continue;
      if (top.admits(u, u + 1 + j, w)) top.offer(u, u + 1 + j, w);
      if (top.admits(u + 1 + j, u, w)) top.offer(u + 1 + j, u, w);
    }
  }
  for (let u = 0; u < n; u++) {
    for (let i = u * k, end = u * k + top.count[u]!; i < end; i++) {
      const v = top.who[i]!;
      // "Mutual-or": keep the pair when either side lists the other, adding it once.
      if (u < v || !top.lists(v, u)) edges.add(Math.min(u, v), Math.max(u, v), top.weight[i]! / scale);
    }
  }
  const leftOutBound = new Float64Array(n);
  for (let u = 0; u < n; u++)
    leftOutBound[u] = top.count[u] === k ? top.weight[u * k + k - 1]! : Number.NEGATIVE_INFINITY;
  return { edges, leftOutBound };
}

/**
 * Scoring a pair on its own costs about this many pair reads of a whole-row pass; a row with more
 * suspect pairs than its length over this is read whole.
 */
const PAIR_COST = 40;

/**
 * Allowed pairs whose dual constraint the solved matching violates. Pairs in the graph are
 * dual-feasible, and a left-out pair uv weighs at most min(bound_u, bound_v), so it can only violate
 * when y_u + y_v < 2 min(bound_u, bound_v); only such suspect pairs are weighed, which spares the
 * O(n^2) weight evaluations a full pass would need. The suspect count of a row is taken without
 * branching: keeping the hot loop free of rarely taken branches matters on a cold start, where a
 * first-taken branch throws V8 out of its optimised loop.
 */
function price(
  n: number,
  table: PairTable,
  leftOutBound: Float64Array,
  result: MatchingResult,
  scale: number,
): EdgeList {
  const violators = new EdgeList();
  const cert = new DualCertificate(result.duals);
  const y = result.duals.vertex;
  const twiceBound = leftOutBound.map((b) => 2 * b);
  for (let u = 0; u < n; u++) {
    const yu = y[u]!;
    const bu = twiceBound[u]!;
    if (!(yu < bu)) continue;
    let short = 0;
    for (let v = u + 1; v < n; v++) short += +(yu + y[v]! < Math.min(bu, twiceBound[v]!));
    if (short === 0) continue;
    if (short * PAIR_COST >= n - u - 1) {
      // Pairs of the graph can fall short on vertex duals alone too (blossom duals cover them), so
      // the row's own count replaces the count of left-out suspects.
      const row = table.row(u);
      let rowShort = 0;
      for (let j = 0; j < row.length; j++) rowShort += +(yu + y[u + 1 + j]! < 2 * row[j]!);
      collectViolators(u, rowShort, row, y, cert, scale, violators);
      continue;
    }
    for (let v = u + 1; short > 0 && v < n; v++) {
      if (!(yu + y[v]! < Math.min(bu, twiceBound[v]!))) continue;
      short--;
      const w = table.pair(u, v);
      const slack = yu + y[v]! - 2 * w;
      if (slack < 0 && slack + cert.sharedBlossomDual(u, v) < 0) violators.add(u, v, w / scale);
    }
  }
  return violators;
}

function collectViolators(
  u: number,
  short: number,
  row: Float64Array,
  y: Float64Array,
  cert: DualCertificate,
  scale: number,
  out: EdgeList,
): void {
  for (let j = 0; short > 0 && j < row.length; j++) {
    const v = u + 1 + j;
    const slack = y[u]! + y[v]! - 2 * row[j]!;
    if (!(slack < 0)) continue;
    short--;
    if (slack + cert.sharedBlossomDual(u, v) < 0) out.add(u, v, row[j]! / scale);
  }
}

/**
 * Raises vertex duals until every violator is feasible: a free endpoint is raised when there is
 * one, otherwise one endpoint is raised and unmatched, since its matched edge is no longer tight.
 */
function repairWarmStart(start: WarmStart, violators: EdgeList, scale: number): WarmStart {
  const mate = start.mate.slice();
  const y = start.vertexDual.slice();
  for (let i = 0; i < violators.size; i++) {
    const a = violators.u[i]!;
    const b = violators.v[i]!;
    const slack = y[a]! + y[b]! - 2 * quantiseWeight(violators.w[i]!, scale);
    if (slack >= 0) continue;
    const x = mate[a] === -1 || mate[b] !== -1 ? a : b;
    y[x]! -= slack;
    const m = mate[x]!;
    if (m !== -1) {
      mate[m] = -1;
      mate[x] = -1;
    }
  }
  return { mate, vertexDual: y, scale };
}

function finish(
  r: MatchingResult,
  weight: PairWeight,
  rounds: number,
  edgesAdded: number,
  graphEdges: number,
): PeerPairsResult {
  // The solver saw quantised weights; the total is reported in the caller's own weights.
  let total = 0;
  for (let v = 0; v < r.mate.length; v++) if (r.mate[v]! > v) total += weight(v, r.mate[v]!)!;
  return {
    mate: r.mate,
    total,
    totalQuantised: r.totalQuantised,
    rounds,
    edgesAdded,
    graphEdges,
    provedOptimal: true,
  };
}

/**
 * Maximum-weight pairing of n people over all allowed pairs, solved on a top-k candidate graph and
 * proved exact by dual pricing. Cost: O(n^2) weight evaluations for the candidate graph, then per
 * pricing pass an O(n^2) typed-array check against the left-out bounds and the weights of the
 * suspect pairs only, plus the sparse solves.
 */
export function solvePeerPairs(
  n: number,
  weight: PairWeight,
  options: PeerPairsOptions = {},
): PeerPairsResult {
  const k = options.k ?? DEFAULT_K;
  const scale = options.scale ?? DEFAULT_SCALE;
  const table = new PairTable(
    n,
    weight,
    scale,
    options.maxCachedPairs ?? DEFAULT_MAX_CACHED_PAIRS,
    options.rowWeights,
  );
  const { edges, leftOutBound } = candidateGraph(n, k, table, scale);
  let result = edges.solve(n, scale, undefined);
  let rounds = 0;
  let edgesAdded = 0;
  for (;;) {
    const violators = price(n, table, leftOutBound, result, scale);
    if (violators.size === 0) return finish(result, weight, rounds, edgesAdded, edges.size);
    rounds++;
    edgesAdded += violators.size;
    for (let i = 0; i < violators.size; i++) edges.add(violators.u[i]!, violators.v[i]!, violators.w[i]!);
    const start =
      options.warmStart === false ? undefined : repairWarmStart(warmStartFrom(result), violators, scale);
    result = edges.solve(n, scale, start);
  }
}

/** Maximum-weight pairing solved directly on the dense graph of all allowed pairs (small n, tests). */
export function solvePeerPairsDense(
  n: number,
  weight: PairWeight,
  options: PeerPairsOptions = {},
): PeerPairsResult {
  const scale = options.scale ?? DEFAULT_SCALE;
  const edges = new EdgeList();
  const table = new PairTable(n, weight, scale, 0, options.rowWeights);
  for (let u = 0; u < n; u++) {
    const row = table.row(u);
    for (let j = 0; j < row.length; j++) if (!Number.isNaN(row[j]!)) edges.add(u, u + 1 + j, row[j]! / scale);
  }
  return finish(edges.solve(n, scale, undefined), weight, 0, 0, edges.size);
}

// See keep-shape.ts: these are built per solve (a fractional scale, the general case).
keepShape(new EdgeList());
keepShape(new PairTable(0, () => null, 0.5, 0, undefined));
keepShape(new TopK(0, 1));
