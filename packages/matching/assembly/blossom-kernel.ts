// AssemblyScript source of the blossom solver (`src/blossom.ts` describes the algorithm and is its
// host: it checks the options, copies the caller's arrays in and the result out, and falls back to
// the fractional start). Validation and quantisation, the greedy start, the event loop, warm-start
// checks and the result's layout are all here. `npm run build:blossom-kernel` compiles it to
// `src/blossom-kernel-bytes.ts`.
//
// Why WebAssembly: a small solve is a few milliseconds of work, and as JavaScript the first solves
// of a process ran largely in V8's unoptimised tiers while the optimising compiler worked through
// the event loop (see docs/benchmarks.md). WebAssembly has no type feedback to gather and nothing
// to deoptimise: V8 compiles each function on its first call with its baseline compiler and
// replaces hot ones with optimised code for their next call.
//
// The algorithm is the TypeScript solver's (main before session 17), line for line, with its
// comments: `git log -p packages/matching/src/blossom.ts` has the history of each step.

const FREE: u8 = 0;
const EVEN: u8 = 1;
const ODD: u8 = 2;

const EVENT_VERTEX: i32 = 0;
const EVENT_EDGES: i32 = 1;
const EVENT_BLOSSOM: i32 = 2;

const EDGES_ORDERED: u8 = 0;
const EDGES_EARLIEST_FIRST: u8 = 1;
const EDGES_UNORDERED: u8 = 2;

const EVENTS_PER_STAGE_ITEM: f64 = 4;
const COMPACT_PER_ITEM: f64 = 4;

/** The event loop's answers: solved, past the work limit, past the event limit, slice done. */
const SOLVED: i32 = 1;
const OVER_WORK: i32 = 0;
const OVER_EVENTS: i32 = -1;
const UNFINISHED: i32 = 2;

/** Events per call of the event loop (see `slice`). */
const SLICE_EVENTS: i32 = 256;

/** Growable binary min-heap of (clock value, event code) pairs. */
class EventHeap {
  keys: Float64Array = new Float64Array(1024);
  codes: Int32Array = new Int32Array(1024);
  size: i32 = 0;

  push(key: f64, code: i32): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      const codes = new Int32Array(this.size * 2);
      for (let i = 0; i < this.size; i++) {
        keys[i] = this.keys[i];
        codes[i] = this.codes[i];
      }
      this.keys = keys;
      this.codes = codes;
    }
    const keysArr = this.keys;
    const codesArr = this.codes;
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      const k = keysArr[up];
      if (k <= key) break;
      keysArr[i] = k;
      codesArr[i] = codesArr[up];
      i = up;
    }
    keysArr[i] = key;
    codesArr[i] = code;
  }

  pop(): void {
    const last = --this.size;
    this.siftDown(0, this.keys[last], this.codes[last]);
  }

  /** Restores the heap order of the first `size` slots bottom-up. */
  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i], this.codes[i]);
  }

  /** Places (key, code) at slot i or below it, among the first `size` slots. */
  siftDown(start: i32, key: f64, code: i32): void {
    const keysArr = this.keys;
    const codesArr = this.codes;
    const last = this.size;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && keysArr[child + 1] < keysArr[child]) child++;
      const k = keysArr[child];
      if (k >= key) break;
      keysArr[i] = k;
      codesArr[i] = codesArr[child];
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
class Solver {
  n: i32;
  m: i32;
  endpoint: Int32Array;
  quantised: Float64Array;
  /** The host's index of each kept edge. */
  edgeOrigin: Int32Array;
  adjStart: Int32Array;
  adj: Int32Array;
  /**
   * Each vertex's edge heap (LEMON's per-node heaps): the first edgeCount[x] arcs of x's slice of
   * `adj` are a binary min-heap by edgeKey (same index), the clock value at which the arc's edge
   * becomes tight under the labels it was keyed with. Keys may be early, never late: a label change
   * that brings an edge's event forward re-keys the heap of the end that changed (`queueEdges`).
   * Re-keying leaves the slice unordered with its earliest arc first; it becomes a heap only when
   * a second arc is needed, since most vertices fire one edge (or none) before they are re-keyed.
   */
  edgeKey: Float64Array;
  edgeCount: Int32Array;
  edgeOrder: Uint8Array;
  /** Key of the vertex's live EVENT_EDGES entry in the event heap, +Infinity when it has none. */
  edgesQueuedAt: Float64Array;
  mate: Int32Array;
  y: Float64Array;
  inBlossom: Int32Array;
  parent: Int32Array;
  base: Int32Array;
  childs: Array<Int32Array | null>;
  endps: Array<Int32Array | null>;
  label: Uint8Array;
  labelEnd: Int32Array;
  /** Clock value at which the lazily applied dual change of a top-level blossom started. */
  stamp: Float64Array;
  z: Float64Array;
  size: Int32Array;
  tree: Int32Array;
  treeNext: Int32Array;
  treePrev: Int32Array;
  treeHead: Int32Array;
  /** Released blossom ids, reused first; ids from `nextId` on (up to 2n - 1) were never used. */
  freeIds: Int32Array;
  freeTop: i32 = 0;
  nextId: i32;
  mark: Int32Array;
  markStamp: i32 = 0;
  leafBuf: Int32Array;
  flushBuf: Int32Array;
  stack: Int32Array;
  tasks: Int32Array;
  heap: EventHeap = new EventHeap();
  /** Heap size at which stale entries are dropped next (see `compactEvents`). */
  compactAt: f64 = 0;
  /** Events handled since `startRun`, against the event limit. */
  events: f64 = 0;
  /** Edges keyed plus events handled, against `run`'s work limit. */
  work: f64 = 0;
  clock: f64 = 0;
  activeTrees: i32 = 0;

  constructor(n: i32, m: i32) {
    this.n = n;
    this.m = m;
    this.endpoint = new Int32Array(2 * m);
    this.quantised = new Float64Array(m);
    this.edgeOrigin = new Int32Array(m);
    this.adjStart = new Int32Array(n + 1);
    this.adj = new Int32Array(2 * m);
    this.edgeKey = new Float64Array(2 * m);
    this.edgeCount = new Int32Array(n);
    this.edgeOrder = new Uint8Array(n);
    this.edgesQueuedAt = new Float64Array(n).fill(Infinity);
    this.mate = new Int32Array(n).fill(-1);
    this.y = new Float64Array(n);
    this.inBlossom = new Int32Array(n);
    this.parent = new Int32Array(2 * n).fill(-1);
    this.base = new Int32Array(2 * n).fill(-1);
    this.childs = new Array<Int32Array | null>(2 * n);
    this.endps = new Array<Int32Array | null>(2 * n);
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
    for (let v = 0; v < n; v++) {
      this.inBlossom[v] = v;
      this.base[v] = v;
    }
  }

  /**
   * Vertex x's arcs are adj[adjStart[x]] to adj[adjStart[x + 1] - 1], each the far endpoint of an
   * edge, so endpoint[adj[i]] is the neighbour.
   */
  buildAdjacency(): void {
    const n = this.n;
    const endpoint = this.endpoint;
    const adjStart = this.adjStart;
    const degree = new Int32Array(n);
    for (let k = 0; k < 2 * this.m; k++) degree[endpoint[k]]++;
    for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i] + degree[i];
    for (let i = 0; i < n; i++) degree[i] = adjStart[i];
    const adj = this.adj;
    for (let k = 0; k < this.m; k++) {
      adj[degree[endpoint[2 * k]]++] = 2 * k + 1;
      adj[degree[endpoint[2 * k + 1]]++] = 2 * k;
    }
  }

  /** Cold start: y holds each vertex's heaviest edge; match tight edges greedily, lower the rest. */
  coldStart(): void {
    this.matchTightGreedily();
    this.lowerExposedDuals();
    this.plantAndScan();
  }

  /** Warm start: `loadWarmStart` has set y and each matched vertex's arc in mate. */
  warmStart(): void {
    this.plantAndScan();
  }

  /**
   * Every exposed vertex with a positive dual becomes an even root, and only once every root is
   * even are their edges keyed (so an edge between two roots is keyed at the even-even rate).
   */
  plantAndScan(): void {
    const roots = this.leafBuf;
    const mate = this.mate;
    const y = this.y;
    let count = 0;
    for (let v = 0; v < this.n; v++) {
      if (mate[v] === -1 && y[v] > 0) {
        this.label[v] = EVEN;
        this.treeAdd(v, v);
        roots[count++] = v;
      }
    }
    this.activeTrees = count;
    for (let i = 0; i < count; i++) this.scanEven(roots[i]);
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
  matchTightGreedily(): void {
    const endpoint = this.endpoint;
    const quantised = this.quantised;
    const mate = this.mate;
    const y = this.y;
    const n = this.n;
    const free = new Int32Array(n);
    let maxTight = 0;
    for (let e = 0; e < this.m; e++) {
      const a = endpoint[2 * e];
      const b = endpoint[2 * e + 1];
      if (y[a] + y[b] !== 2 * quantised[e]) continue;
      const ca = ++free[a];
      const cb = ++free[b];
      if (ca > maxTight) maxTight = ca;
      if (cb > maxTight) maxTight = cb;
    }
    // The vertices by their count of tight edges, fewest first, by index among equals.
    const first = new Int32Array(maxTight + 2);
    for (let v = 0; v < n; v++) first[free[v] + 1]++;
    for (let d = 1; d <= maxTight + 1; d++) first[d] += first[d - 1];
    const order = new Int32Array(n);
    for (let v = 0; v < n; v++) order[first[free[v]]++] = v;
    const single = this.stack;
    let top = 0;
    for (let k = 0; k < n; k++) {
      while (top > 0) {
        const t = single[--top];
        if (mate[t] !== -1) continue;
        const p = this.pickTight(t, free);
        if (p !== -1) top = this.matchTight(t, p, free, top);
      }
      const v = order[k];
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
  lowerExposedDuals(): void {
    const adj = this.adj;
    const adjStart = this.adjStart;
    const endpoint = this.endpoint;
    const quantised = this.quantised;
    const mate = this.mate;
    const y = this.y;
    for (let v = 0; v < this.n; v++) {
      if (mate[v] !== -1) continue;
      const start = adjStart[v];
      const end = adjStart[v + 1];
      let need: f64 = 0;
      for (let i = start; i < end; i++) {
        const p = adj[i];
        const r = 2 * quantised[p >> 1] - y[endpoint[p]];
        if (r > need) need = r;
      }
      y[v] = need;
      if (need === 0) continue;
      for (let i = start; i < end; i++) {
        const p = adj[i];
        const w = endpoint[p];
        if (mate[w] !== -1 || 2 * quantised[p >> 1] - y[w] !== need) continue;
        mate[v] = p;
        mate[w] = p ^ 1;
        break;
      }
    }
  }

  /** v's free tight neighbour with the fewest free tight edges left, as an arc; -1 if none. */
  pickTight(v: i32, free: Int32Array): i32 {
    const adj = this.adj;
    const endpoint = this.endpoint;
    const quantised = this.quantised;
    const mate = this.mate;
    const y = this.y;
    let best = -1;
    const yv = y[v];
    for (let i = this.adjStart[v], end = this.adjStart[v + 1]; i < end; i++) {
      const p = adj[i];
      const w = endpoint[p];
      if (mate[w] !== -1 || yv + y[w] !== 2 * quantised[p >> 1]) continue;
      if (best === -1 || free[w] < free[endpoint[best]]) best = p;
    }
    return best;
  }

  /** Matches v along arc p; returns the new top of the stack of vertices left with one option. */
  matchTight(v: i32, p: i32, free: Int32Array, top: i32): i32 {
    const w = this.endpoint[p];
    this.mate[v] = p;
    this.mate[w] = p ^ 1;
    return this.unlistTight(w, free, this.unlistTight(v, free, top));
  }

  /** x is matched now: its free tight neighbours have one option fewer. */
  unlistTight(x: i32, free: Int32Array, top: i32): i32 {
    const adj = this.adj;
    const endpoint = this.endpoint;
    const quantised = this.quantised;
    const mate = this.mate;
    const y = this.y;
    const single = this.stack;
    const yx = y[x];
    let t = top;
    for (let i = this.adjStart[x], end = this.adjStart[x + 1]; i < end; i++) {
      const p = adj[i];
      const u = endpoint[p];
      if (mate[u] !== -1 || yx + y[u] !== 2 * quantised[p >> 1]) continue;
      if (--free[u] === 1) single[t++] = u;
    }
    return t;
  }

  /** Solves to the end and returns true, or returns false once past `workLimit` (see `work`). */
  /** Starts the event loop's count (see `slice`); the work count carries on from any earlier run. */
  startRun(): void {
    this.events = 0;
    this.compactAt = COMPACT_PER_ITEM * (<f64>this.n + <f64>this.m) + 1024;
  }

  /**
   * Runs the event loop for at most SLICE_EVENTS events. The host calls it until it stops
   * answering UNFINISHED: V8 replaces a WebAssembly function by its optimised code only at the
   * next call, so a loop that ran a whole solve in one call would keep a process's first solves in
   * baseline code until they ended.
   */
  slice(workLimit: f64): i32 {
    const heap = this.heap;
    const inBlossom = this.inBlossom;
    const label = this.label;
    const n = <f64>this.n;
    const m = <f64>this.m;
    // At most n augmentations or retired vertices, and between two of them a bounded number of
    // events per vertex and edge.
    const limit = EVENTS_PER_STAGE_ITEM * (n + 1) * (n + m + 1);
    for (let k = 0; this.activeTrees > 0; k++) {
      if (k === SLICE_EVENTS) return UNFINISHED;
      if (++this.events > limit) return OVER_EVENTS;
      if (++this.work > workLimit) return OVER_WORK;
      if (<f64>heap.size > this.compactAt) this.compactEvents();
      if (heap.size === 0) throw new Error('blossom: event queue ran dry with live trees');
      const key = heap.keys[0];
      const code = heap.codes[0];
      heap.pop();
      this.clock = key;
      const id = code >> 2;
      const type = code & 3;
      if (type === EVENT_EDGES) {
        // An older entry of a vertex whose edges were re-keyed since is superseded.
        if (key !== this.edgesQueuedAt[id]) continue;
        this.edgesQueuedAt[id] = Infinity;
        this.serveEdges(id, key);
      } else if (type === EVENT_VERTEX) {
        if (label[inBlossom[id]] === EVEN && this.dualOf(id) === 0) this.unmatch(id);
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
    return SOLVED;
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
  compactEvents(): void {
    const n = this.n;
    const seen = new Uint8Array(max(2 * n, this.m) * 4);
    const heap = this.heap;
    const keysArr = heap.keys;
    const codesArr = heap.codes;
    let kept = 0;
    for (let i = 0; i < heap.size; i++) {
      const code = codesArr[i];
      if (seen[code] === 1) continue;
      seen[code] = 1;
      const key = this.revalue(keysArr[i], code);
      // biome-ignore lint/suspicious/noGlobalIsNan: AssemblyScript's builtin, on a float
      if (isNaN(key)) continue;
      keysArr[kept] = key;
      codesArr[kept] = code;
      kept++;
    }
    heap.size = kept;
    heap.heapify();
    this.compactAt = max(this.compactAt, <f64>(2 * heap.size));
  }

  revalue(key: f64, code: i32): f64 {
    const id = code >> 2;
    const type = code & 3;
    if (type === EVENT_EDGES) return key === this.edgesQueuedAt[id] ? key : NaN;
    if (type === EVENT_VERTEX)
      return this.label[this.inBlossom[id]] === EVEN ? this.clock + this.dualOf(id) : NaN;
    const oddTop = this.childs[id] !== null && this.parent[id] === -1 && this.label[id] === ODD;
    return oddTop ? this.clock + this.blossomDualOf(id) / 2 : NaN;
  }

  // The duals below are computed without branching on the label: (l >> 1) - (l & 1) is -1 for
  // EVEN, +1 for ODD and 0 for FREE (the sign of the vertex dual's change).

  dualOf(v: i32): f64 {
    const b = this.inBlossom[v];
    const l = <i32>this.label[b];
    return this.y[v] + <f64>((l >> 1) - (l & 1)) * (this.clock - this.stamp[b]);
  }

  blossomDualOf(b: i32): f64 {
    if (this.parent[b] !== -1) return this.z[b];
    const l = <i32>this.label[b];
    return this.z[b] + <f64>(2 * ((l & 1) - (l >> 1))) * (this.clock - this.stamp[b]);
  }

  /** Writes the vertices of blossom b into out from index `from`; returns the end index. */
  leaves(b: i32, out: Int32Array, from: i32): i32 {
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
      const x = stack[--sp];
      if (x < n) out[k++] = x;
      else {
        const ch = this.childs[x]!;
        for (let i = 0; i < ch.length; i++) stack[sp++] = ch[i];
      }
    }
    return k;
  }

  /** Materialises the lazily applied dual change of top-level blossom b up to the current clock. */
  flush(b: i32): void {
    const d = this.clock - this.stamp[b];
    this.stamp[b] = this.clock;
    const l = this.label[b];
    if (d === 0 || l === FREE) return;
    const sign: f64 = l === EVEN ? -1 : 1;
    if (b < this.n) {
      this.y[b] += sign * d;
      return;
    }
    this.z[b] -= 2 * sign * d;
    const buf = this.flushBuf;
    const end = this.leaves(b, buf, 0);
    for (let i = 0; i < end; i++) this.y[buf[i]] += sign * d;
  }

  treeAdd(b: i32, tid: i32): void {
    this.tree[b] = tid;
    const head = this.treeHead[tid];
    this.treePrev[b] = -1;
    this.treeNext[b] = head;
    if (head !== -1) this.treePrev[head] = b;
    this.treeHead[tid] = b;
  }

  treeRemove(b: i32): void {
    const tid = this.tree[b];
    const prev = this.treePrev[b];
    const next = this.treeNext[b];
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
  queueEdges(x: i32): void {
    const adj = this.adj;
    const endpoint = this.endpoint;
    const inBlossom = this.inBlossom;
    const label = this.label;
    const quantised = this.quantised;
    const edgeKey = this.edgeKey;
    const bx = inBlossom[x];
    const lx = <i32>label[bx];
    const start = this.adjStart[x];
    const end = this.adjStart[x + 1];
    let best: f64 = Infinity;
    let bestAt = start;
    // The edges that can act are moved to the front of the slice: they are the heap.
    let last = start;
    if (lx !== <i32>ODD) {
      const yx = this.dualOf(x);
      const y = this.y;
      const stamp = this.stamp;
      const clock = this.clock;
      for (let i = start; i < end; i++) {
        const p = adj[i];
        const w = endpoint[p];
        const bw = inBlossom[w];
        const lw = <i32>label[bw];
        if (bw === bx || lw === <i32>ODD || (lx === <i32>FREE && lw === <i32>FREE)) continue;
        // dualOf(w) with its blossom and label already at hand (lw is EVEN or FREE here, lw & 1
        // is 1 for EVEN): this loop is the solver's hottest. Without branches, see dualOf.
        const yw = y[w] - <f64>(lw & 1) * (clock - stamp[bw]);
        const slack = yx + yw - 2 * quantised[p >> 1];
        // An even-even slack closes at twice the rate (lx & lw is 1 only for both EVEN).
        const key = clock + slack / <f64>(1 + (lx & lw & 1));
        adj[i] = adj[last];
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
    this.work += <f64>(end - start);
    if (last === start) return;
    const first = adj[start];
    adj[start] = adj[bestAt];
    adj[bestAt] = first;
    edgeKey[bestAt] = edgeKey[start];
    edgeKey[start] = best;
    this.edgeOrder[x] = EDGES_EARLIEST_FIRST;
    if (best < this.edgesQueuedAt[x]) {
      this.heap.push(best, x * 4 + EVENT_EDGES);
      this.edgesQueuedAt[x] = best;
    }
  }

  /**
   * x's event entry surfaced at clock `key`: its edge heap's earliest edges are re-validated
   * (dropped when they can no longer act, re-keyed when an end changed label since) until one is
   * due now, which fires; the entry is then queued again at the heap's new earliest key.
   */
  serveEdges(x: i32, key: f64): void {
    if (this.label[this.inBlossom[x]] === ODD) {
      this.edgeCount[x] = 0;
      return;
    }
    const start = this.adjStart[x];
    const edgeKey = this.edgeKey;
    const adj = this.adj;
    const order = this.edgeOrder;
    for (;;) {
      const count = this.edgeCount[x];
      if (count === 0) return;
      if (order[x] === EDGES_UNORDERED) {
        for (let i = (count >> 1) - 1; i >= 0; i--)
          this.siftEdge(start, count, i, adj[start + i], edgeKey[start + i]);
        order[x] = EDGES_ORDERED;
      }
      const top = edgeKey[start];
      if (top > key) {
        this.heap.push(top, x * 4 + EVENT_EDGES);
        this.edgesQueuedAt[x] = top;
        return;
      }
      const p = adj[start];
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
      if (ordered) this.siftEdge(start, count - 1, 0, adj[last], edgeKey[last]);
      else {
        adj[start] = adj[last];
        edgeKey[start] = edgeKey[last];
        order[x] = EDGES_UNORDERED;
      }
      adj[last] = p;
      // An entry is never late, so `due` is `key` or NaN (the edge can no longer act).
      if (due !== key) continue;
      this.fireEdge(p);
      // Firing may have re-keyed x's edges (and queued x) or left them as they were.
      if (this.edgeCount[x] > 0) {
        const next = order[x] === EDGES_UNORDERED ? key : max(key, edgeKey[start]);
        if (next < this.edgesQueuedAt[x]) {
          this.heap.push(next, x * 4 + EVENT_EDGES);
          this.edgesQueuedAt[x] = next;
        }
      }
      return;
    }
  }

  /** Places (arc, key) at heap slot i or below it, in the edge heap of `count` arcs from `start`. */
  siftEdge(start: i32, count: i32, slot: i32, arc: i32, key: f64): void {
    const adj = this.adj;
    const edgeKey = this.edgeKey;
    let i = slot;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= count) break;
      if (child + 1 < count && edgeKey[start + child + 1] < edgeKey[start + child]) child++;
      const k = edgeKey[start + child];
      if (k >= key) break;
      edgeKey[start + i] = k;
      adj[start + i] = adj[start + child];
      i = child;
    }
    edgeKey[start + i] = key;
    adj[start + i] = arc;
  }

  /**
   * Clock value at which edge e becomes tight between an even and an even-or-free top-level
   * blossom under the current labels, NaN while it cannot act.
   */
  edgeEventTime(e: i32): f64 {
    const a = this.endpoint[2 * e];
    const b = this.endpoint[2 * e + 1];
    const ba = this.inBlossom[a];
    const bb = this.inBlossom[b];
    if (ba === bb) return NaN;
    const la = <i32>this.label[ba];
    const lb = <i32>this.label[bb];
    if (la === <i32>ODD || lb === <i32>ODD || (la === <i32>FREE && lb === <i32>FREE)) return NaN;
    const slack = this.dualOf(a) + this.dualOf(b) - 2 * this.quantised[e];
    return this.clock + slack / <f64>(1 + (la & lb & 1));
  }

  /**
   * v has just become even: its edges are keyed, and its dual's zero queued unless the root's
   * comes first. Every even vertex of a tree loses dual at the same rate as the tree's root (the
   * vertex whose id the tree carries), so one whose dual is not below the root's can reach 0 only
   * after the root has, when the root's event has dissolved the tree (a later tree queues v again).
   * On a chain that keeps thousands of entries out of the event heap.
   */
  scanEven(v: i32): void {
    const dual = this.dualOf(v);
    const root = this.tree[this.inBlossom[v]];
    if (v === root || dual < this.dualOf(root)) this.heap.push(this.clock + dual, v * 4 + EVENT_VERTEX);
    this.queueEdges(v);
  }

  /** An edge with far endpoint p, seen from the vertex at p ^ 1, is tight now. */
  fireEdge(p: i32): void {
    const e = p >> 1;
    const ba = this.inBlossom[this.endpoint[2 * e]];
    const bb = this.inBlossom[this.endpoint[2 * e + 1]];
    const la = this.label[ba];
    const lb = this.label[bb];
    if (la === EVEN && lb === EVEN) {
      if (this.tree[ba] === this.tree[bb])
        this.addBlossom(this.findBase(this.endpoint[2 * e], this.endpoint[2 * e + 1]), e);
      else this.augmentEdge(e);
    } else if (la === EVEN) this.grow(2 * e + 1);
    else this.grow(2 * e);
  }

  setLabel(b: i32, l: u8, end: i32, tid: i32): void {
    this.flush(b);
    this.label[b] = l;
    this.labelEnd[b] = end;
    if (tid !== -1) this.treeAdd(b, tid);
  }

  /** Tight edge from an even vertex to endpoint pv, whose top-level blossom is free. */
  grow(pv: i32): void {
    const v = this.endpoint[pv];
    const u = this.endpoint[pv ^ 1];
    const bv = this.inBlossom[v];
    const tid = this.tree[this.inBlossom[u]];
    const baseMate = this.mate[this.base[bv]];
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
    if (bv >= this.n) this.heap.push(this.clock + this.z[bv] / 2, bv * 4 + EVENT_BLOSSOM);
    const bw = this.inBlossom[this.endpoint[baseMate]];
    this.setLabel(bw, EVEN, this.mate[this.base[bw]], tid);
    const end = this.leaves(bw, this.leafBuf, 0);
    for (let i = 0; i < end; i++) this.scanEven(this.leafBuf[i]);
  }

  /** Base vertex of the blossom closed by an even-even edge inside one tree. */
  findBase(a: i32, b: i32): i32 {
    const stampValue = ++this.markStamp;
    let v = a;
    let w = b;
    while (v !== -1) {
      const bv = this.inBlossom[v];
      if (this.mark[bv] === stampValue) return this.base[bv];
      this.mark[bv] = stampValue;
      const le = this.labelEnd[bv];
      if (le === -1) v = -1;
      else v = this.endpoint[this.labelEnd[this.inBlossom[this.endpoint[le]]]];
      if (w !== -1) {
        const t = v;
        v = w;
        w = t;
      }
    }
    throw new Error('blossom: even-even edge inside one tree without a common ancestor');
  }

  addBlossom(baseVertex: i32, e: i32): void {
    const endpoint = this.endpoint;
    const inBlossom = this.inBlossom;
    const labelEnd = this.labelEnd;
    const bb = inBlossom[baseVertex];
    let bv = inBlossom[endpoint[2 * e]];
    let bw = inBlossom[endpoint[2 * e + 1]];
    const path: i32[] = [];
    const ends: i32[] = [];
    while (bv !== bb) {
      path.push(bv);
      ends.push(labelEnd[bv]);
      bv = inBlossom[endpoint[labelEnd[bv]]];
    }
    path.push(bb);
    path.reverse();
    ends.reverse();
    ends.push(2 * e);
    while (bw !== bb) {
      path.push(bw);
      ends.push(labelEnd[bw] ^ 1);
      bw = inBlossom[endpoint[labelEnd[bw]]];
    }
    const len = path.length;
    const tid = this.tree[bb];
    const newLabelEnd = labelEnd[bb];
    const wasOdd = new Uint8Array(len);
    let largest = -1;
    let total = 0;
    for (let k = 0; k < len; k++) {
      const c = path[k];
      this.flush(c);
      wasOdd[k] = this.label[c] === ODD ? 1 : 0;
      this.treeRemove(c);
      total += this.size[c];
      if (c >= this.n && (largest === -1 || this.size[c] > this.size[path[largest]])) largest = k;
    }
    // The new blossom takes over the id of its largest child, whose vertices then keep their
    // inBlossom entry; the child moves to a fresh id. Relabelling every vertex instead costs the
    // size of the blossom each time, and a blossom that absorbs its neighbours one cycle at a time
    // (common where weights tie) would make that quadratic.
    let b: i32;
    if (largest === -1) b = this.newBlossomId();
    else {
      b = path[largest];
      const moved = this.newBlossomId();
      const grandchildren = this.childs[b]!;
      this.childs[moved] = grandchildren;
      this.endps[moved] = this.endps[b];
      this.base[moved] = this.base[b];
      this.z[moved] = this.z[b];
      this.size[moved] = this.size[b];
      for (let i = 0; i < grandchildren.length; i++) this.parent[grandchildren[i]] = moved;
      path[largest] = moved;
    }
    const childArr = new Int32Array(len);
    const endArr = new Int32Array(len);
    for (let k = 0; k < len; k++) {
      this.parent[path[k]] = b;
      childArr[k] = path[k];
      endArr[k] = ends[k];
    }
    this.childs[b] = childArr;
    this.endps[b] = endArr;
    this.base[b] = baseVertex;
    this.size[b] = total;
    this.parent[b] = -1;
    this.z[b] = 0;
    this.stamp[b] = this.clock;
    this.label[b] = EVEN;
    labelEnd[b] = newLabelEnd;
    this.treeAdd(b, tid);
    const buf = this.leafBuf;
    for (let k = 0; k < len; k++) {
      if (k === largest) continue;
      const end = this.leaves(path[k], buf, 0);
      for (let i = 0; i < end; i++) inBlossom[buf[i]] = b;
    }
    for (let k = 0; k < len; k++) {
      if (wasOdd[k] === 0) continue;
      const cend = this.leaves(path[k], buf, 0);
      for (let i = 0; i < cend; i++) this.scanEven(buf[i]);
    }
  }

  /** Odd blossom whose dual reached zero: its children become top-level blossoms. */
  expand(b: i32): void {
    this.flush(b);
    const ep = this.endps[b]!;
    const len = ep.length;
    const tid = this.tree[b];
    const entryEnd = this.labelEnd[b];
    this.treeRemove(b);
    const ch = this.childs[b]!.slice();
    let largest = -1;
    for (let k = 0; k < len; k++) {
      const c = ch[k];
      if (c >= this.n && (largest === -1 || this.size[c] > this.size[ch[largest]])) largest = k;
    }
    // The largest child takes over b's id, so that its vertices keep their inBlossom entry (see
    // addBlossom); b's old record is what is freed.
    let freed = b;
    if (largest !== -1) {
      freed = ch[largest];
      const grandchildren = this.childs[freed]!;
      this.childs[b] = grandchildren;
      this.endps[b] = this.endps[freed];
      this.base[b] = this.base[freed];
      this.z[b] = this.z[freed];
      this.size[b] = this.size[freed];
      for (let i = 0; i < grandchildren.length; i++) this.parent[grandchildren[i]] = b;
      ch[largest] = b;
    }
    const buf = this.leafBuf;
    for (let k = 0; k < len; k++) {
      const c = ch[k];
      this.parent[c] = -1;
      this.stamp[c] = this.clock;
      this.label[c] = FREE;
      this.labelEnd[c] = -1;
      if (k === largest) continue;
      const end = this.leaves(c, buf, 0);
      for (let i = 0; i < end; i++) this.inBlossom[buf[i]] = c;
    }
    // The children on the even-length side of the cycle from the entry child to the base child
    // take over b's place in the tree; the rest are matched among themselves and become free.
    let idx = ch.indexOf(this.inBlossom[this.endpoint[entryEnd ^ 1]]);
    const forward = (idx & 1) === 1;
    let end = entryEnd;
    for (let step = 0; ; step++) {
      const c = ch[idx];
      this.label[c] = (step & 1) === 0 ? ODD : EVEN;
      this.labelEnd[c] = end;
      this.treeAdd(c, tid);
      if (idx === 0) break;
      if (forward) {
        end = ep[idx];
        idx = idx + 1 === len ? 0 : idx + 1;
      } else {
        end = ep[idx - 1] ^ 1;
        idx--;
      }
    }
    for (let k = 0; k < len; k++) {
      const c = ch[k];
      const l = this.label[c];
      if (l === ODD) {
        if (c >= this.n) this.heap.push(this.clock + this.z[c] / 2, c * 4 + EVENT_BLOSSOM);
        continue;
      }
      const cend = this.leaves(c, buf, 0);
      if (l === EVEN) for (let i = 0; i < cend; i++) this.scanEven(buf[i]);
      else for (let i = 0; i < cend; i++) this.queueEdges(buf[i]);
    }
    this.release(freed);
  }

  newBlossomId(): i32 {
    return this.freeTop > 0 ? this.freeIds[--this.freeTop] : this.nextId++;
  }

  /** Returns a blossom id that no longer names a blossom to the free list. */
  release(b: i32): void {
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
  augmentBlossom(b: i32, v: i32): void {
    const tasks = this.tasks;
    let sp = this.pushRotations(b, v, 0);
    while (sp > 0) {
      const t = tasks[--sp];
      const target = tasks[--sp];
      const x = tasks[--sp];
      this.base[x] = target;
      const ch = this.childs[x]!;
      const ep = this.endps[x]!;
      const len = ch.length;
      const i = ch.indexOf(t);
      if (i === 0) continue;
      const forward = (i & 1) === 1;
      for (let k = forward ? i + 1 : i - 2; forward ? k < len : k >= 0; k += forward ? 2 : -2) {
        const p = ep[k];
        const c = ch[k];
        const d = ch[k + 1 === len ? 0 : k + 1];
        const va = this.endpoint[p];
        const vb = this.endpoint[p ^ 1];
        if (c >= this.n) sp = this.pushRotations(c, va, sp);
        if (d >= this.n) sp = this.pushRotations(d, vb, sp);
        this.mate[va] = p ^ 1;
        this.mate[vb] = p;
      }
      // Rotated in place through a scratch buffer: a fresh pair of arrays per rotation made
      // augmentations through many small blossoms (triangles) mostly garbage collection.
      const scratch = this.flushBuf;
      for (let k = 0; k < len; k++) scratch[k] = ch[(i + k) % len];
      for (let k = 0; k < len; k++) ch[k] = scratch[k];
      for (let k = 0; k < len; k++) scratch[k] = ep[(i + k) % len];
      for (let k = 0; k < len; k++) ep[k] = scratch[k];
    }
  }

  /** Queues the rotation to v of every blossom from v's innermost one up to b. */
  pushRotations(b: i32, v: i32, sp: i32): i32 {
    const tasks = this.tasks;
    let child = v;
    let x = this.parent[v];
    for (let depth = 0; ; depth++) {
      if (depth > this.n) throw new Error('blossom: nesting walk past its iteration limit');
      tasks[sp++] = x;
      tasks[sp++] = v;
      tasks[sp++] = child;
      if (x === b) break;
      child = x;
      x = this.parent[x];
    }
    return sp;
  }

  /** Flips the tree path from even vertex s to its root; s gets matched to endpoint p (or exposed). */
  augmentPath(start: i32, startEnd: i32): void {
    const n = this.n;
    const endpoint = this.endpoint;
    let s = start;
    let p = startEnd;
    for (let steps = 0; ; steps++) {
      if (steps > n) throw new Error('blossom: augmenting path past its iteration limit');
      const bs = this.inBlossom[s];
      if (bs >= n) this.augmentBlossom(bs, s);
      this.mate[s] = p;
      const le = this.labelEnd[bs];
      if (le === -1) return;
      const bt = this.inBlossom[endpoint[le]];
      const lt = this.labelEnd[bt];
      s = endpoint[lt];
      const j = endpoint[lt ^ 1];
      if (bt >= n) this.augmentBlossom(bt, j);
      this.mate[j] = lt;
      p = lt ^ 1;
    }
  }

  augmentEdge(e: i32): void {
    const a = this.endpoint[2 * e];
    const b = this.endpoint[2 * e + 1];
    const ta = this.tree[this.inBlossom[a]];
    const tb = this.tree[this.inBlossom[b]];
    this.augmentPath(a, 2 * e + 1);
    this.augmentPath(b, 2 * e);
    this.destroyTree(ta);
    this.destroyTree(tb);
    this.activeTrees -= 2;
  }

  /** An even vertex's dual reached zero: it becomes the exposed base of its blossom, for good. */
  unmatch(v: i32): void {
    const tid = this.tree[this.inBlossom[v]];
    this.augmentPath(v, -1);
    this.destroyTree(tid);
    this.activeTrees--;
  }

  destroyTree(tid: i32): void {
    const buf = this.leafBuf;
    let end = 0;
    for (let b = this.treeHead[tid]; b !== -1; b = this.treeNext[b]) {
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
    for (let i = 0; i < end; i++) this.queueEdges(buf[i]);
  }

  /**
   * Loads a warm start (each vertex's partner or -1, and its dual) after checking it: duals >= 0
   * and feasible on every edge, a symmetric matching along tight edges (each matched pair takes
   * the first tight edge between them). Returns 0, or the failure (see `fail`).
   */
  loadWarmStart(partner: Int32Array, dual: Float64Array): i32 {
    const n = this.n;
    const y = this.y;
    const mate = this.mate;
    const endpoint = this.endpoint;
    const quantised = this.quantised;
    for (let x = 0; x < n; x++) {
      const d = dual[x];
      if (!(d >= 0)) return fail(NEGATIVE_DUAL, x);
      y[x] = d;
    }
    for (let e = 0; e < this.m; e++) {
      const a = endpoint[2 * e];
      const b = endpoint[2 * e + 1];
      const slack = y[a] + y[b] - 2 * quantised[e];
      if (slack < 0) return fail(INFEASIBLE, e);
      if (slack === 0 && partner[a] === b && partner[b] === a && mate[a] === -1 && mate[b] === -1) {
        mate[a] = 2 * e + 1;
        mate[b] = 2 * e;
      }
    }
    for (let x = 0; x < n; x++) {
      const p = partner[x];
      if (p === -1) continue;
      if (p < 0 || p >= n || partner[p] !== x) return fail(ASYMMETRIC, x);
      if (mate[x] === -1) return fail(NOT_TIGHT, x);
    }
    return 0;
  }
}

/**
 * Largest quantised weight (see `MAX_QUANTISED` in `src/blossom.ts`: every dual, slack and event
 * time then stays exact in float64).
 */
const MAX_QUANTISED: f64 = 562949953421312; // 2^49

// What `prepare` can refuse; `failureAt` names the edge or vertex.
const VERTEX_OUTSIDE: i32 = 1;
const BAD_WEIGHT: i32 = 2;
const NEGATIVE_DUAL: i32 = 3;
const INFEASIBLE: i32 = 4;
const ASYMMETRIC: i32 = 5;
const NOT_TIGHT: i32 = 6;

let failedAt: i32 = 0;

function fail(kind: i32, at: i32): i32 {
  failedAt = at;
  return kind;
}

// The host's interface: one solve at a time. `input` makes room for the caller's edges (and a warm
// start), which the host writes through the `*At` byte offsets; `prepare` quantises and checks
// them and starts the solver, `run` solves, `finish` lays out the result for the host to copy, and
// `end` lets the runtime's collector (`__collect`, called by the host) reclaim it all. Every loop
// over the input and the result is here, not in the host, so that none of them waits for V8 to
// optimise it in a process's first solves.

let solver: Solver | null = null;
let inputU = new Int32Array(0);
let inputV = new Int32Array(0);
let inputW = new Float64Array(0);
let warmPartner = new Int32Array(0);
let warmDual = new Float64Array(0);

export function input(m: i32): void {
  solver = null;
  inputU = new Int32Array(m);
  inputV = new Int32Array(m);
  inputW = new Float64Array(m);
}

export function inputUAt(): usize {
  return inputU.dataStart;
}

export function inputVAt(): usize {
  return inputV.dataStart;
}

export function inputWAt(): usize {
  return inputW.dataStart;
}

export function warmInput(n: i32): void {
  warmPartner = new Int32Array(n);
  warmDual = new Float64Array(n);
}

export function warmPartnerAt(): usize {
  return warmPartner.dataStart;
}

export function warmDualAt(): usize {
  return warmDual.dataStart;
}

/**
 * Quantises the input's weights (round(w * scale), as `quantiseWeight` in `src/blossom.ts`),
 * keeps the edges that can matter (no self-loop, positive weight) and starts a solver on them:
 * from the warm start when `warm`, else from each vertex's heaviest edge (tight edges matched
 * greedily, exposed vertices' duals lowered). Returns 0, or the failure (`failureAt` says where).
 */
export function prepare(n: i32, scale: f64, warm: bool): i32 {
  const mAll = inputU.length;
  const all = new Float64Array(mAll);
  const heaviest = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < mAll; i++) {
    const a = inputU[i];
    const b = inputV[i];
    if (a < 0 || a >= n || b < 0 || b >= n) return fail(VERTEX_OUTSIDE, i);
    const q = Math.round(inputW[i] * scale);
    // biome-ignore lint/suspicious/noGlobalIsFinite: AssemblyScript's builtin, on a float
    if (!isFinite(q) || q > MAX_QUANTISED) return fail(BAD_WEIGHT, i);
    all[i] = q;
    if (a === b || q <= 0) continue;
    m++;
    if (q > heaviest[a]) heaviest[a] = q;
    if (q > heaviest[b]) heaviest[b] = q;
  }
  const s = new Solver(n, m);
  let e = 0;
  for (let i = 0; i < mAll; i++) {
    const q = all[i];
    const a = inputU[i];
    const b = inputV[i];
    if (a === b || q <= 0) continue;
    s.edgeOrigin[e] = i;
    s.endpoint[2 * e] = a;
    s.endpoint[2 * e + 1] = b;
    s.quantised[e] = q;
    e++;
  }
  s.buildAdjacency();
  if (warm) {
    const failure = s.loadWarmStart(warmPartner, warmDual);
    if (failure !== 0) return failure;
    s.warmStart();
  } else {
    for (let v = 0; v < n; v++) s.y[v] = heaviest[v];
    s.coldStart();
  }
  solver = s;
  return 0;
}

export function failureAt(): i32 {
  return failedAt;
}

/** Edges the solver keeps. */
export function keptEdges(): i32 {
  return solver!.m;
}

export function endpointAt(): usize {
  return solver!.endpoint.dataStart;
}

export function quantisedAt(): usize {
  return solver!.quantised.dataStart;
}

/** Starts (or, after OVER_WORK, restarts) the event loop's count; `slice` runs it. */
export function startRun(): void {
  solver!.startRun();
}

/**
 * Runs up to SLICE_EVENTS events: 2 when there are more, 1 when solved, 0 past `workLimit` (the
 * solve may go on after another `startRun`), -1 past the event limit.
 */
export function slice(workLimit: f64): i32 {
  return solver!.slice(workLimit);
}

class Result {
  partner: Int32Array;
  total: f64 = 0;
  totalQuantised: f64 = 0;
  cardinality: i32 = 0;
  vertexBlossom: Int32Array;
  blossomParent: Int32Array;
  blossomDual: Float64Array;
  blossomSize: Int32Array;

  constructor(n: i32, nb: i32) {
    this.partner = new Int32Array(n).fill(-1);
    this.vertexBlossom = new Int32Array(n);
    this.blossomParent = new Int32Array(nb);
    this.blossomDual = new Float64Array(nb);
    this.blossomSize = new Int32Array(nb);
  }
}

let result: Result | null = null;

/**
 * The solved matching as the host returns it: each vertex's partner, the totals (weights summed
 * in vertex order, as the caller gave them), and the blossoms renumbered 0.. in id order.
 */
export function finish(): void {
  const s = solver!;
  const n = s.n;
  const used = s.nextId;
  const compact = new Int32Array(used).fill(-1);
  let nb = 0;
  for (let b = n; b < used; b++) if (s.childs[b] !== null) compact[b] = nb++;
  const r = new Result(n, nb);
  const mate = s.mate;
  const endpoint = s.endpoint;
  for (let v = 0; v < n; v++) {
    const p = mate[v];
    if (p === -1) continue;
    const partner = endpoint[p];
    r.partner[v] = partner;
    if (v < partner) {
      const e = p >> 1;
      r.total += inputW[s.edgeOrigin[e]];
      r.totalQuantised += s.quantised[e];
      r.cardinality++;
    }
  }
  const parent = s.parent;
  for (let v = 0; v < n; v++) r.vertexBlossom[v] = parent[v] === -1 ? -1 : compact[parent[v]];
  for (let b = n; b < used; b++) {
    const k = compact[b];
    if (k === -1) continue;
    r.blossomParent[k] = parent[b] === -1 ? -1 : compact[parent[b]];
    r.blossomDual[k] = s.z[b];
    r.blossomSize[k] = s.size[b];
  }
  result = r;
}

export function partnerAt(): usize {
  return result!.partner.dataStart;
}

export function total(): f64 {
  return result!.total;
}

export function totalQuantised(): f64 {
  return result!.totalQuantised;
}

export function cardinality(): i32 {
  return result!.cardinality;
}

export function dualAt(): usize {
  return solver!.y.dataStart;
}

export function vertexBlossomAt(): usize {
  return result!.vertexBlossom.dataStart;
}

export function blossomCount(): i32 {
  return result!.blossomParent.length;
}

export function blossomParentAt(): usize {
  return result!.blossomParent.dataStart;
}

export function blossomDualAt(): usize {
  return result!.blossomDual.dataStart;
}

export function blossomSizeAt(): usize {
  return result!.blossomSize.dataStart;
}

/** Drops the solve's arrays, so that the host's `__collect` can reclaim them. */
export function end(): void {
  solver = null;
  result = null;
  inputU = new Int32Array(0);
  inputV = new Int32Array(0);
  inputW = new Float64Array(0);
  warmPartner = new Int32Array(0);
  warmDual = new Float64Array(0);
}
