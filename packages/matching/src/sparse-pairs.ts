/**
 * Exact maximum-weight peer pairing without solving the dense graph: solve a sparse top-k candidate
 * graph, then price every left-out pair against the optimal duals. A pair uv whose dual slack
 * y_u + y_v + sum(z_B : u, v in B) - 2w is >= 0 cannot improve the matching (the duals stay a
 * certificate with it in the graph), so once no allowed pair has negative slack the sparse optimum
 * is an optimum of the dense graph. Violators are added and the solve resumes from the previous
 * duals until none is left.
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

/**
 * Weight of pairing u with v (called with u < v only, so it must be symmetric in meaning), or null
 * when a hard rule forbids the pair. Pairs with weight <= 0 are never worth matching.
 */
export type PairWeight = (u: number, v: number) => number | null;

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
  /** The pairing is a maximum-weight matching of the dense graph of all allowed pairs. */
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

/** Calls `visit(u, v, w)` for every allowed pair u < v with a positive quantised weight. */
type PairVisitor = (visit: (u: number, v: number, w: number) => void) => void;

function pairSource(n: number, weight: PairWeight, scale: number, maxCachedPairs: number): PairVisitor {
  const direct: PairVisitor = (visit) => {
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        const w = weight(u, v);
        if (w !== null && quantiseWeight(w, scale) > 0) visit(u, v, w);
      }
    }
  };
  const pairs = (n * (n - 1)) / 2;
  if (pairs > maxCachedPairs) return direct;
  // NaN marks a pair that is forbidden or worthless, so later passes skip it without a call.
  const cache = new Float64Array(pairs);
  let i = 0;
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const w = weight(u, v);
      cache[i++] = w !== null && quantiseWeight(w, scale) > 0 ? w : Number.NaN;
    }
  }
  return (visit) => {
    let k = 0;
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        const w = cache[k++]!;
        if (!Number.isNaN(w)) visit(u, v, w);
      }
    }
  };
}

/**
 * The k best partners of every vertex (highest weight, then lowest index), kept as sorted rows of
 * a flat array so that rejecting a pair that is worse than a full row's last entry is O(1).
 */
function topK(
  n: number,
  k: number,
  pairs: PairVisitor,
): { count: Int32Array; who: Int32Array; weight: Float64Array } {
  const count = new Int32Array(n);
  const who = new Int32Array(n * k);
  const weight = new Float64Array(n * k);
  const offer = (u: number, v: number, w: number): void => {
    const row = u * k;
    let c = count[u]!;
    if (c === k) {
      const lw = weight[row + k - 1]!;
      if (w < lw || (w === lw && v > who[row + k - 1]!)) return;
      c--;
    } else count[u] = c + 1;
    let i = row + c;
    while (i > row) {
      const pw = weight[i - 1]!;
      if (pw > w || (pw === w && who[i - 1]! < v)) break;
      weight[i] = pw;
      who[i] = who[i - 1]!;
      i--;
    }
    weight[i] = w;
    who[i] = v;
  };
  pairs((u, v, w) => {
    offer(u, v, w);
    offer(v, u, w);
  });
  return { count, who, weight };
}

function candidateGraph(n: number, k: number, pairs: PairVisitor): EdgeList {
  const edges = new EdgeList();
  if (k <= 0) return edges;
  const { count, who, weight } = topK(n, k, pairs);
  const listed = (a: number, b: number): boolean => {
    for (let i = a * k, end = a * k + count[a]!; i < end; i++) if (who[i] === b) return true;
    return false;
  };
  for (let u = 0; u < n; u++) {
    for (let i = u * k, end = u * k + count[u]!; i < end; i++) {
      const v = who[i]!;
      // "Mutual-or": keep the pair when either side lists the other, adding it once.
      if (u < v || !listed(v, u)) edges.add(Math.min(u, v), Math.max(u, v), weight[i]!);
    }
  }
  return edges;
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
  return { mate, vertexDual: y };
}

function finish(r: MatchingResult, rounds: number, edgesAdded: number, graphEdges: number): PeerPairsResult {
  return {
    mate: r.mate,
    total: r.total,
    totalQuantised: r.totalQuantised,
    rounds,
    edgesAdded,
    graphEdges,
    provedOptimal: true,
  };
}

/**
 * Maximum-weight pairing of n people over all allowed pairs, solved on a top-k candidate graph and
 * proved exact by dual pricing. Cost: O(n^2) weight evaluations and cheap typed-array checks per
 * pricing pass plus the sparse solves.
 */
export function solvePeerPairs(
  n: number,
  weight: PairWeight,
  options: PeerPairsOptions = {},
): PeerPairsResult {
  const k = options.k ?? DEFAULT_K;
  const scale = options.scale ?? DEFAULT_SCALE;
  const pairs = pairSource(n, weight, scale, options.maxCachedPairs ?? DEFAULT_MAX_CACHED_PAIRS);
  const edges = candidateGraph(n, k, pairs);
  let result = edges.solve(n, scale, undefined);
  let rounds = 0;
  let edgesAdded = 0;
  for (;;) {
    const violators = new EdgeList();
    const cert = new DualCertificate(result.duals);
    const y = result.duals.vertex;
    pairs((u, v, w) => {
      const q = quantiseWeight(w, scale);
      const slack = y[u]! + y[v]! - 2 * q;
      // Blossom duals only ever add slack, so the blossom lookup is needed only for apparent violators.
      if (slack < 0 && slack + cert.sharedBlossomDual(u, v) < 0) violators.add(u, v, w);
    });
    if (violators.size === 0) return finish(result, rounds, edgesAdded, edges.size);
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
  pairSource(n, weight, scale, 0)((u, v, w) => edges.add(u, v, w));
  return finish(edges.solve(n, scale, undefined), 0, 0, edges.size);
}
