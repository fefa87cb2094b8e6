/**
 * Column prices for warm-starting the exact assignment solver, by Bertsekas' forward auction with
 * ε-scaling. Inserting rows one by one into an empty assignment (shortest augmenting paths) is fast
 * while slots are free, but once the slots run short every insertion searches most of the graph:
 * on a large, tight instance that is prohibitive. Prices near equilibrium make those searches short, and
 * an auction finds them in a few sweeps over the edges.
 *
 * Only the prices are used, never the auction's assignment: the exact solver re-derives every row's
 * dual from them, so the result stays exact whatever the prices are, and the auction's work can be
 * bounded (a price war ends early with worse prices, not a wrong answer).
 *
 * A column with capacity c is c identical slots: a bidder takes the cheapest and its second-best
 * option may be the column's next slot. Rows may stay unassigned (value 0), so a row stops bidding
 * once every column costs more than it gains.
 */
import type { AssignmentGraph } from './assignment.ts';
import { IterationLimitError } from './iteration-limit.ts';

/**
 * ε falls by this factor per phase, from a hundredth of the largest weight (a larger start
 * overshoots: prices pass the weights and rows drop out) down to `finalEpsilon`.
 */
const EPSILON_FACTOR = 5;
/**
 * The last phase's ε as a share of the largest weight. The exact solver finishes what the auction
 * leaves, and the two together are faster stopping here than refining further (docs/benchmarks.md).
 */
const FINAL_EPSILON_SHARE = 3e-4;
/** Bids per row and phase before the phase is cut short. */
const BIDS_PER_ROW = 20;

export interface AuctionOptions {
  /** The last phase's ε (default `FINAL_EPSILON_SHARE` of the largest weight). */
  finalEpsilon?: number;
  /** Added to every weight: with the solver's cardinality bonus rows keep bidding instead of dropping out. */
  bonus?: number;
  /**
   * Column prices to start from (else zero), shifted so that the cheapest is zero (the prices
   * returned stay duals the exact solver accepts, which are never negative): prices near the
   * equilibrium, such as a sample's, save bids in every phase.
   */
  start?: Float64Array;
}

export function auctionPrices(graph: AssignmentGraph, options: AuctionOptions = {}): Float64Array {
  const { rows, columns, start, column, weight, capacity } = graph;
  const slotStart = new Int32Array(columns + 1);
  for (let j = 0; j < columns; j++) slotStart[j + 1] = slotStart[j]! + capacity[j]!;
  const slots = slotStart[columns]!;
  const slotPrice = new Float64Array(slots);
  if (options.start) {
    const from = options.start;
    const least = from.reduce((low, price) => Math.min(low, price), Number.POSITIVE_INFINITY);
    for (let j = 0; j < columns; j++) slotPrice.fill(from[j]! - least, slotStart[j]!, slotStart[j + 1]!);
  }
  const slotOwner = new Int32Array(slots).fill(-1);
  /**
   * Per column: its cheapest slot, that slot's price (what a bid must beat; Infinity without slots,
   * so the bidding loop reads one array per edge) and the next cheapest's (Infinity with one slot).
   */
  const cheapest = new Int32Array(columns);
  const columnPrice = new Float64Array(columns);
  const secondPrice = new Float64Array(columns);
  const refresh = (j: number) => {
    let least = -1;
    let leastPrice = Number.POSITIVE_INFINITY;
    let next = Number.POSITIVE_INFINITY;
    for (let s = slotStart[j]!; s < slotStart[j + 1]!; s++) {
      const p = slotPrice[s]!;
      if (p < leastPrice) {
        next = leastPrice;
        leastPrice = p;
        least = s;
      } else if (p < next) next = p;
    }
    cheapest[j] = least;
    columnPrice[j] = leastPrice;
    secondPrice[j] = next;
  };
  for (let j = 0; j < columns; j++) refresh(j);

  let maxWeight = 0;
  for (let e = 0; e < weight.length; e++) if (weight[e]! > maxWeight) maxWeight = weight[e]!;
  const finalEpsilon = options.finalEpsilon ?? maxWeight * FINAL_EPSILON_SHARE;
  const bonus = options.bonus ?? 0;
  const queue = new Int32Array(rows + 1);
  const slotOf = new Int32Array(rows).fill(-1);

  // ε falls by EPSILON_FACTOR a phase from maxWeight / 100 to finalEpsilon, or to zero by underflow
  // when that is zero; a negative or NaN one is never reached.
  const floor = finalEpsilon > 0 ? finalEpsilon : Number.MIN_VALUE;
  const phaseLimit =
    maxWeight > 0
      ? Math.ceil((Math.log(maxWeight / 100) - Math.log(floor)) / Math.log(EPSILON_FACTOR)) + 2
      : 2;
  let phases = 0;
  for (let epsilon = maxWeight / 100; ; epsilon = Math.max(epsilon / EPSILON_FACTOR, finalEpsilon)) {
    if (++phases > phaseLimit) throw new IterationLimitError('auction: ε phases', phaseLimit);
    // Every row bids afresh in each phase, against the prices the previous phase left.
    slotOwner.fill(-1);
    slotOf.fill(-1);
    let head = 0;
    let tail = 0;
    for (let i = 0; i < rows; i++) if (start[i + 1]! > start[i]!) queue[tail++] = i;
    const capacityOfQueue = rows + 1;
    let bids = 0;
    const maxBids = BIDS_PER_ROW * rows;
    // A price war among a few rows can take far more bids than the rest together: a phase also ends
    // once a sweep's worth of bids has not brought the number of bidders to a new low.
    let fewest = rows;
    let lastLow = 0;
    while (head !== tail && bids < maxBids && bids - lastLow < rows) {
      const waiting = (tail - head + capacityOfQueue) % capacityOfQueue;
      if (waiting < fewest) {
        fewest = waiting;
        lastLow = bids;
      }
      const i = queue[head]!;
      head = head + 1 === capacityOfQueue ? 0 : head + 1;
      let best = 0;
      let bestColumn = -1;
      let second = 0;
      for (let e = start[i]!; e < start[i + 1]!; e++) {
        const j = column[e]!;
        const value = weight[e]! + bonus - columnPrice[j]!;
        if (value > best) {
          second = best;
          best = value;
          bestColumn = j;
        } else if (value > second) second = value;
      }
      if (bestColumn < 0) continue;
      // The chosen column's next slot is an option too.
      const sameColumn = best + columnPrice[bestColumn]! - secondPrice[bestColumn]!;
      if (sameColumn > second) second = sameColumn;
      bids++;
      const slot = cheapest[bestColumn]!;
      slotPrice[slot] = slotPrice[slot]! + best - second + epsilon;
      const evicted = slotOwner[slot]!;
      slotOwner[slot] = i;
      slotOf[i] = slot;
      if (evicted >= 0) {
        slotOf[evicted] = -1;
        queue[tail] = evicted;
        tail = tail + 1 === capacityOfQueue ? 0 : tail + 1;
      }
      refresh(bestColumn);
    }
    if (epsilon <= finalEpsilon) break;
  }

  // A column's dual is the price of its cheapest slot: what the next bidder would pay.
  const price = new Float64Array(columns);
  for (let j = 0; j < columns; j++) price[j] = capacity[j]! > 0 ? columnPrice[j]! : 0;
  return price;
}
