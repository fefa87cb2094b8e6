/**
 * Exact many-to-one assignment over a dense score function that is too costly to hold in full:
 * solve on each row's top-k columns, then price every left-out pair against the duals. A pair
 * whose score exceeds u_row + v_column (less the cardinality bonus) could improve the solution;
 * the most violated pairs of each row join the graph and the solver goes on (re-inserting the rows
 * that gained edges, or solving afresh from the last duals when many did) until no violator is
 * left, which proves the sparse optimum optimal on the full graph.
 *
 * Before the first solve, each row gains its best reserve pairs (`RESERVE_IN_FIRST_SOLVE`), rows the
 * candidate graph cannot place at all gain edges to columns with free slots (see
 * `addEdgesToFreeColumns`), and the solver starts from auction prices
 * (`auctionPrices`): both keep its shortest-path searches short on large, tight programs.
 *
 * The first pricing runs before any exact solve, under the auction's prices and each row's best
 * gain at them (`bestGains`): they are near optimal duals of the graph, so the exact solve then
 * starts with nearly every pair it needs. Priced after a first exact solve instead, pricing added
 * pairs to almost every row of a large program, which took a second, fresh solve.
 *
 * Pricing avoids rescoring rows: every left-out pair of row r scores at most cutoff_r (its k-th
 * best; with lists chosen by score less a base price per column, cutoff_r plus that price; with a
 * reserve, only the pairs beyond it, whose bounds are checked against the duals one by one), so it
 * can only violate on a column whose dual (less its base price) is below cutoff_r − (u_r − bonus).
 * Columns are sorted by that once per round; a row is certified outright when none is that cheap,
 * scored against just the cheap columns when they are few, and otherwise scanned
 * (`PricedProblem.scan`), which finds its most violated pairs by score less dual without scoring
 * every column. A priced row's nearly violating pairs join the graph too (`NEAR_SHARE`), and the
 * slack left is carried to later rounds, which price again only the rows whose duals moved by more.
 */
import { type AssignmentGraph, AssignmentSolver, cardinalityBonus } from './assignment.ts';
import { auctionPrices } from './auction.ts';
import { type CandidateRows, TopK } from './candidates.ts';
import { type CardinalityMatching, maximumMatching } from './cardinality.ts';

export interface PricedProblem {
  rows: number;
  columns: number;
  capacity: Int32Array;
  /** Exact scores of row r against the columns `list[0 .. count)` into `out[0 .. count)`. */
  scoreColumns(r: number, list: Int32Array, count: number, out: Float64Array): void;
  /** Sets the column prices that `scan` subtracts (called before each pricing pass). */
  usePrices(price: Float64Array): void;
  /**
   * Row r's allowed columns c, other than those flagged in `skip`, whose score − price[c] exceeds
   * `above`: offered to `top` keyed by that difference, each one's exact score in `scoreOf[c]`.
   * Returns an upper bound on score − price[c] over the allowed columns not offered (-Infinity when
   * there are none). `top` may keep only its best: a scan need not offer what cannot enter it.
   */
  scan(r: number, above: number, skip: Uint8Array, top: TopK, scoreOf: Float64Array): number;
}

/** `scan` and `usePrices` for a problem that can score a whole row exactly (-Infinity where forbidden). */
export function denseScan(
  columns: number,
  scoreRow: (r: number, out: Float64Array) => void,
): Pick<PricedProblem, 'scan' | 'usePrices'> {
  const row = new Float64Array(columns);
  let price: Float64Array = new Float64Array(columns);
  return {
    usePrices(next) {
      price = next;
    },
    scan(r, above, skip, top, scoreOf) {
      scoreRow(r, row);
      let notOffered = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < columns; c++) {
        const score = row[c]!;
        if (skip[c] === 1 || score === Number.NEGATIVE_INFINITY) continue;
        const reduced = score - price[c]!;
        if (reduced > above) {
          scoreOf[c] = score;
          top.push(reduced, c);
        } else notOffered = Math.max(notOffered, reduced);
      }
      return notOffered;
    },
  };
}

export interface PricedOptions {
  cardinalityFirst: boolean;
  /** Upper bound on every score (fixes the cardinality bonus while the graph grows). */
  weightBound: number;
  /**
   * Violations up to this much are ignored (rounding of the duals). Default 1e-9 of the largest
   * possible dual (bonus + weightBound); integer weights can use anything below 1 and are exact.
   */
  tolerance?: number;
  maxRounds?: number;
}

export interface PricedSolution {
  /** Column of each row, -1 when unassigned. */
  rowMate: Int32Array;
  /** The final column duals (prices), in score units. */
  columnDual: Float64Array;
  total: number;
  assigned: number;
  provedOptimal: boolean;
  /** Solves: the first plus one per round that added violators. */
  rounds: number;
  edges: number;
  /** Rows scanned against every column while pricing, and pairs scored against listed columns. */
  rowsScanned: number;
  pairsPriced: number;
}

/** Rounds of pricing before giving up on a proof (each adds every violating pair found). */
const MAX_ROUNDS = 25;
/**
 * A row's scan against every column costs about as much as scoring one listed pair per this many
 * columns; fewer cheap columns than that are scored as a list. Tuned on the one-to-one benchmark
 * (docs/benchmarks.md).
 */
const COLUMNS_PER_LISTED_PAIR = 48;

/** Edges found by pricing, kept as one linked list per row. */
class ExtraEdges {
  row = new Int32Array(1024);
  column = new Int32Array(1024);
  score = new Float64Array(1024);
  next = new Int32Array(1024);
  readonly head: Int32Array;
  size = 0;
  constructor(rows: number) {
    this.head = new Int32Array(rows).fill(-1);
  }
  push(r: number, c: number, s: number) {
    if (this.size === this.row.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.row = grow(this.row, (n) => new Int32Array(n));
      this.column = grow(this.column, (n) => new Int32Array(n));
      this.score = grow(this.score, (n) => new Float64Array(n));
      this.next = grow(this.next, (n) => new Int32Array(n));
    }
    this.row[this.size] = r;
    this.column[this.size] = c;
    this.score[this.size] = s;
    this.next[this.size] = this.head[r]!;
    this.head[r] = this.size++;
  }
}

/**
 * Rounds of completing the candidate graph so that every row it can place is placed, and how many
 * of its best free columns each row left out gains per round.
 */
const COMPLETION_ROUNDS = 4;
const FREE_COLUMNS_PER_ROW = 8;
/** Violating pairs a row adds per pricing round, the most violated first. */
const VIOLATORS_PER_ROW = 8;
/**
 * Pairs within this share of `weightBound` of violating join the graph with the violators (up to
 * VIOLATORS_PER_ROW in all), so that what a row leaves out has at least this much slack: later
 * rounds, whose duals move by less, then certify the row without pricing it again. A row has only
 * a couple of such pairs under final duals; the share was tuned on the one-to-one benchmark
 * (docs/benchmarks.md).
 */
const NEAR_SHARE = 0.005;
/** When more than one row in this many gained edges, the next round solves afresh from the duals. */
const RESOLVE_SHARE = 64;

/**
 * Top-k lists leave unpopular columns without candidates (at 100,000 rows one row in twenty has
 * no place left in the graph), and every such row costs the solver a search of everything it
 * reaches. A maximum-cardinality matching finds them cheaply; each then gains edges to its best
 * columns among those with free slots, which only it and the other unplaced rows are scored
 * against. `matching` is a maximum matching of `graph`. Returns whether any edge was added.
 */
function addEdgesToFreeColumns(
  problem: PricedProblem,
  graph: AssignmentGraph,
  matching: CardinalityMatching,
  extra: ExtraEdges,
): boolean {
  const free: number[] = [];
  for (let c = 0; c < graph.columns; c++) if (matching.load[c]! < graph.capacity[c]!) free.push(c);
  if (free.length === 0 || matching.size === graph.rows) return false;
  const freeList = Int32Array.from(free);
  const scores = new Float64Array(freeList.length);
  const inGraph = new Uint8Array(graph.columns);
  const best = new TopK(FREE_COLUMNS_PER_ROW);
  let added = false;
  for (let r = 0; r < graph.rows; r++) {
    if (matching.rowMate[r] !== -1) continue;
    problem.scoreColumns(r, freeList, freeList.length, scores);
    for (let e = graph.start[r]!; e < graph.start[r + 1]!; e++) inGraph[graph.column[e]!] = 1;
    best.clear();
    for (let t = 0; t < freeList.length; t++) {
      const c = freeList[t]!;
      if (inGraph[c] === 0 && scores[t]! > Number.NEGATIVE_INFINITY) best.push(scores[t]!, c);
    }
    for (let e = graph.start[r]!; e < graph.start[r + 1]!; e++) inGraph[graph.column[e]!] = 0;
    for (let t = 0; t < best.size; t++) extra.push(r, best.column[t]!, best.score[t]!);
    added ||= best.size > 0;
  }
  return added;
}

/**
 * The first solve also takes each row's best few reserve pairs, scored. Its duals are then much
 * closer to the final ones: from the lists alone pricing added pairs to nearly every row and then
 * to a thousand more; with these taken it added pairs once more to a single row (docs/benchmarks.md).
 */
const RESERVE_IN_FIRST_SOLVE = 5;

function addBestOfReserve(
  problem: PricedProblem,
  reserve: NonNullable<CandidateRows['reserve']>,
  extra: ExtraEdges,
) {
  const best = new TopK(RESERVE_IN_FIRST_SOLVE);
  const list = new Int32Array(RESERVE_IN_FIRST_SOLVE);
  const scores = new Float64Array(RESERVE_IN_FIRST_SOLVE);
  for (let r = 0; r < problem.rows; r++) {
    best.clear();
    for (let t = reserve.start[r]!; t < reserve.start[r + 1]!; t++)
      best.push(reserve.bound[t]!, reserve.column[t]!);
    list.set(best.column.subarray(0, best.size));
    problem.scoreColumns(r, list, best.size, scores);
    for (let t = 0; t < best.size; t++) extra.push(r, list[t]!, scores[t]!);
  }
}

/**
 * Row duals for column prices `v` on `graph`: the most each row gains on one of its edges (weight
 * plus the cardinality bonus, less the price), or 0. With `v` they satisfy every dual constraint of
 * the graph, so pricing under them is sound; they are optimal when `v` is.
 */
function bestGains(graph: AssignmentGraph, v: Float64Array, bonus: number): Float64Array {
  const u = new Float64Array(graph.rows);
  for (let r = 0; r < graph.rows; r++)
    for (let e = graph.start[r]!; e < graph.start[r + 1]!; e++)
      u[r] = Math.max(u[r]!, graph.weight[e]! + bonus - v[graph.column[e]!]!);
  return u;
}

export function solvePriced(
  problem: PricedProblem,
  candidates: CandidateRows,
  options: PricedOptions,
): PricedSolution {
  const { rows, columns: m, capacity } = problem;
  const extra = new ExtraEdges(rows);

  const buildGraph = () => {
    const start = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) start[r + 1] = candidates.start[r + 1]! - candidates.start[r]!;
    for (let t = 0; t < extra.size; t++) start[extra.row[t]! + 1]!++;
    for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
    const column = new Int32Array(start[rows]!);
    const weight = new Float64Array(start[rows]!);
    const fill = start.slice(0, rows);
    for (let r = 0; r < rows; r++) {
      const from = candidates.start[r]!;
      const count = candidates.start[r + 1]! - from;
      column.set(candidates.column.subarray(from, from + count), fill[r]!);
      weight.set(candidates.score.subarray(from, from + count), fill[r]!);
      fill[r]! += count;
    }
    for (let t = 0; t < extra.size; t++) {
      const e = fill[extra.row[t]!]!++;
      column[e] = extra.column[t]!;
      weight[e] = extra.score[t]!;
    }
    return { rows, columns: m, start, column, weight, capacity };
  };

  if (candidates.reserve) addBestOfReserve(problem, candidates.reserve, extra);
  let graph = buildGraph();
  // Each round's matching grows the last: the graph only gained edges.
  let matching: CardinalityMatching | undefined;
  for (let round = 0; round < COMPLETION_ROUNDS; round++) {
    matching = maximumMatching(graph, matching?.rowMate);
    if (!addEdgesToFreeColumns(problem, graph, matching, extra)) break;
    graph = buildGraph();
  }
  const solverOptions = { cardinalityFirst: options.cardinalityFirst, weightBound: options.weightBound };
  const bonus = cardinalityBonus(graph, solverOptions);
  // Auction prices even where the lists came with prices: those are not an equilibrium of this
  // graph, and the exact solver starting from them searches far longer. The auction starts from
  // them, though, which shortens the auction.
  const auctioned = auctionPrices(graph, { bonus, ...(candidates.base ? { start: candidates.base } : {}) });
  // The first pricing runs under the auction's prices, before any exact solve (see the module comment).
  let v = auctioned;
  let u = bestGains(graph, auctioned, bonus);

  const order = new Int32Array(m);
  const { base } = candidates;
  const rise = new Float64Array(m);
  const sortedRise = new Float64Array(m);
  const listScores = new Float64Array(m);
  const inGraph = new Uint8Array(m);
  const changed = new Int32Array(rows);
  // Duals shift by rounding only, so a fixed tolerance relative to the largest possible dual.
  const tolerance = options.tolerance ?? 1e-9 * Math.max(1, bonus + options.weightBound);
  const near = NEAR_SHARE * options.weightBound;
  const scanCost = Math.max(1, Math.floor(m / COLUMNS_PER_LISTED_PAIR));
  /**
   * Certificates carried between rounds: at the last pricing, every left-out pair of row r had
   * u_r − bonus + tolerance − (score − v_c) ≥ slack[r] (-Infinity: price the row again). A later
   * round need only look at the columns whose dual fell by more than what is left of that slack
   * once u_r's own fall is taken off; usually none, as a round changes few duals.
   */
  const slack = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
  const uAt = new Float64Array(rows);
  const vAt = new Float64Array(m);
  const dropped = new Int32Array(m);
  const drop = new Float64Array(m);
  let rowsScanned = 0;
  let pairsPriced = 0;

  /** How many columns have a rise (dual less base price) below `value` (they lead `order`). */
  const countBelow = (value: number): number => {
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedRise[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** Appends every violator to `extra`; returns how many rows gained edges. */
  const price = (): number => {
    problem.usePrices(v);
    let droppedCount = 0;
    for (let c = 0; c < m; c++) {
      order[c] = c;
      drop[c] = vAt[c]! - v[c]!;
      if (drop[c]! > 0) dropped[droppedCount++] = c;
      vAt[c] = v[c]!;
    }
    dropped.subarray(0, droppedCount).sort((a, b) => drop[b]! - drop[a]!);
    for (let c = 0; c < m; c++) rise[c] = v[c]! - (base === undefined ? 0 : base[c]!);
    order.sort((a, b) => rise[a]! - rise[b]!);
    for (let t = 0; t < m; t++) sortedRise[t] = rise[order[t]!]!;
    let changedCount = 0;
    for (let r = 0; r < rows; r++) {
      const ur = u[r]!;
      const budget = slack[r]! - Math.max(0, uAt[r]! - ur);
      uAt[r] = ur;
      const limit = ur - bonus + tolerance;
      const cutoff = candidates.cutoff[r]!;
      // Every allowed pair is in the graph (or the reserve, priced below).
      if (
        cutoff === Number.NEGATIVE_INFINITY &&
        (reserve === undefined || reserve.start[r] === reserve.start[r + 1])
      ) {
        slack[r] = Number.POSITIVE_INFINITY;
        continue;
      }
      // A violator c needs score − v_c > limit, and its score is ≤ cutoff + base_c: a rise
      // v_c − base_c below gap.
      const gap = cutoff - limit;
      const cheap = countBelow(gap);
      // Only columns whose dual fell by more than the budget can violate; unless the cutoff names
      // fewer, those are priced.
      let over = 0;
      if (budget >= 0) while (over <= cheap && over < droppedCount && drop[dropped[over]!]! > budget) over++;
      if (budget >= 0 && over <= cheap) {
        let least = over < droppedCount ? budget - drop[dropped[over]!]! : budget;
        if (over > 0) {
          mark(r, 1);
          least = Math.min(least, priceListed(r, dropped, over, limit));
          mark(r, 0);
          least = keepOffered(r, limit, least);
          if (least === Number.NEGATIVE_INFINITY) changed[changedCount++] = r;
        }
        slack[r] = least;
        continue;
      }
      // A row priced at all is priced to within `near`: columns a little dearer than `gap` too.
      const priced = cheap > 0 ? countBelow(gap + near) : 0;
      let least = priced < m ? sortedRise[priced]! - gap : Number.POSITIVE_INFINITY;
      if (priced > 0 || reserve !== undefined) {
        mark(r, 1);
        if (priced > scanCost) {
          rowsScanned++;
          least = Math.min(least, limit - problem.scan(r, limit - near, inGraph, offered, offeredScore));
        } else {
          least = Math.min(least, priceListed(r, order, priced, limit));
          if (reserve !== undefined)
            least = Math.min(
              least,
              priceReserve(r, limit, priced > 0 ? gap + near : Number.NEGATIVE_INFINITY),
            );
        }
        mark(r, 0);
        least = keepOffered(r, limit, least);
        if (least === Number.NEGATIVE_INFINITY) changed[changedCount++] = r;
      }
      slack[r] = least;
    }
    return changedCount;
  };

  /**
   * The row's pairs that violate or nearly do, by score − v_c, the most violated first: those kept
   * join the graph; the rest wait, as they may not survive its re-solve. Each offered column's
   * exact score waits in `offeredScore`.
   */
  const offered = new TopK(VIOLATORS_PER_ROW);
  const offeredScore = new Float64Array(m);
  const offer = (c: number, score: number) => {
    offeredScore[c] = score;
    offered.push(score - v[c]!, c);
  };
  /**
   * Adds the kept pairs to the graph. Returns the row's slack left out, given `least` for what was
   * not offered: -Infinity when a pair violates (the row changed), else at most what a pair turned
   * away by the full `offered` had.
   */
  const keepOffered = (r: number, limit: number, least: number): number => {
    let violated = false;
    for (let t = 0; t < offered.size; t++) {
      const c = offered.column[t]!;
      extra.push(r, c, offeredScore[c]!);
      if (offered.score[t]! > limit) violated = true;
    }
    const slackLeft = violated
      ? Number.NEGATIVE_INFINITY
      : offered.dropped > 0
        ? Math.min(least, limit - offered.floor())
        : least;
    offered.clear();
    return slackLeft;
  };

  const { reserve } = candidates;
  const reserveList = new Int32Array(m);
  /**
   * Offers row r's reserve pairs that violate or nearly do, on columns with a rise of at least
   * `listedBelow` (cheaper ones are listed and scored anyway). A bound that comes that close is
   * scored exactly first. Returns the least slack of what was not offered.
   */
  const priceReserve = (r: number, limit: number, listedBelow: number): number => {
    let least = Number.POSITIVE_INFINITY;
    let count = 0;
    for (let t = reserve!.start[r]!; t < reserve!.start[r + 1]!; t++) {
      const c = reserve!.column[t]!;
      if (inGraph[c] === 1 || rise[c]! < listedBelow) continue;
      const slackOf = limit - reserve!.bound[t]! + v[c]!;
      if (slackOf < near) reserveList[count++] = c;
      else least = Math.min(least, slackOf);
    }
    return Math.min(least, priceListed(r, reserveList, count, limit));
  };

  /**
   * Scores row r against `list[0 .. count)` and offers the pairs outside its graph that violate or
   * nearly do; returns the least slack of the others.
   */
  const priceListed = (r: number, list: Int32Array, count: number, limit: number): number => {
    let least = Number.POSITIVE_INFINITY;
    if (count === 0) return least;
    problem.scoreColumns(r, list, count, listScores);
    pairsPriced += count;
    for (let t = 0; t < count; t++) {
      const c = list[t]!;
      if (inGraph[c] === 1) continue;
      const score = listScores[t]!;
      if (score - v[c]! > limit - near) offer(c, score);
      else least = Math.min(least, limit - score + v[c]!);
    }
    return least;
  };

  /** Flags (1) or unflags (0) the columns of row r's graph edges. */
  const mark = (r: number, flag: number) => {
    for (let t = candidates.start[r]!; t < candidates.start[r + 1]!; t++)
      inGraph[candidates.column[t]!] = flag;
    for (let t = extra.head[r]!; t >= 0; t = extra.next[t]!) inGraph[extra.column[t]!] = flag;
  };

  price();
  graph = buildGraph();
  let solver = new AssignmentSolver(graph, solverOptions);
  solver.solve(auctioned);
  ({ u, v } = solver);

  const maxRounds = options.maxRounds ?? MAX_ROUNDS;
  let rounds = 1;
  let proved = false;
  for (;;) {
    const changedCount = price();
    if (changedCount === 0) {
      proved = true;
      break;
    }
    if (rounds >= maxRounds) break;
    graph = buildGraph();
    if (changedCount * RESOLVE_SHARE < rows) solver.extend(graph, changed.subarray(0, changedCount));
    else {
      // Most rows changed: a fresh solve from the last duals beats taking them all out and back.
      const prices = solver.v;
      solver = new AssignmentSolver(graph, solverOptions);
      solver.solve(prices);
      ({ u, v } = solver);
    }
    rounds++;
  }
  const solution = solver.solution();
  return {
    rowMate: solution.rowMate,
    columnDual: solution.columnDual,
    total: solution.total,
    assigned: solution.assigned,
    provedOptimal: proved,
    rounds,
    edges: graph.column.length,
    rowsScanned,
    pairsPriced,
  };
}
