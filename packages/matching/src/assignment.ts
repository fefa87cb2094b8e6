/**
 * Maximum-weight many-to-one assignment (rows take at most one column, column j at most
 * capacity[j] rows) on a sparse graph, by shortest augmenting paths with dual potentials: rows are
 * inserted one at a time and each insertion runs a Dijkstra (binary heap) over reduced costs, so the
 * duals prove optimality throughout and later certify edges that were left out of the graph.
 *
 * Dual LP: minimize Σ u_i + Σ capacity_j · v_j with u, v ≥ 0 and u_i + v_j ≥ w_ij. Invariants: every
 * assigned edge is tight, u_i > 0 only for assigned rows, v_j > 0 only for full columns.
 *
 * The solver can be resumed on a larger graph (`AssignmentSolver.extend`): rows that gained edges
 * are taken out, every column they leave with a positive dual is repaired by the mirror-image
 * search (from the column, lowering its dual to zero or refilling the slot), and the rows are
 * inserted again. Only the changed rows pay, instead of solving every row from scratch.
 */

import { IterationLimitError } from './iteration-limit.ts';
import { keepShape } from './keep-shape.ts';

export interface AssignmentGraph {
  rows: number;
  columns: number;
  /** Row-major edges: row i's edges are `[start[i], start[i + 1])`. */
  start: Int32Array;
  column: Int32Array;
  weight: Float64Array;
  capacity: Int32Array;
}

export interface AssignmentSolution {
  /** Column assigned to each row, -1 when unassigned. */
  rowMate: Int32Array;
  /** Dual of each row and column, in the solver's weights (original weight + `bonus`). */
  rowDual: Float64Array;
  columnDual: Float64Array;
  /** Added to every edge weight so that more assigned rows always beat higher weight. */
  bonus: number;
  /** Sum of the original weights of assigned edges. */
  total: number;
  assigned: number;
}

export interface AssignmentOptions {
  /** Lexicographic objective: as many rows assigned as possible, then maximum weight. */
  cardinalityFirst?: boolean;
  /**
   * An upper bound on every weight the graph will ever hold (default: the largest weight of the
   * first graph). The cardinality bonus derives from it and must not change when the graph grows.
   */
  weightBound?: number;
}

class MinHeap {
  key = new Float64Array(64);
  node = new Int32Array(64);
  size = 0;
  clear() {
    this.size = 0;
  }
  push(key: number, node: number) {
    if (this.size === this.key.length) {
      const grownKey = new Float64Array(this.size * 2);
      grownKey.set(this.key);
      this.key = grownKey;
      const grownNode = new Int32Array(this.size * 2);
      grownNode.set(this.node);
      this.node = grownNode;
    }
    const { key: keys, node: nodes } = this;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      nodes[i] = nodes[parent]!;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }
  /** Removes the top; read `key[0]`/`node[0]` before calling. */
  pop() {
    const { key: keys, node: nodes } = this;
    const last = --this.size;
    if (last === 0) return;
    const key = keys[last]!;
    const node = nodes[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      nodes[i] = nodes[child]!;
      i = child;
    }
    keys[i] = key;
    nodes[i] = node;
  }
}

export function solveAssignment(graph: AssignmentGraph, options: AssignmentOptions = {}): AssignmentSolution {
  const solver = new AssignmentSolver(graph, options);
  solver.solve();
  return solver.solution();
}

/**
 * What the solver adds to every weight when it maximizes the number assigned first: more than any
 * set of weights can make up, so that one more row assigned always wins (0 otherwise).
 */
export function cardinalityBonus(graph: AssignmentGraph, options: AssignmentOptions = {}): number {
  const { rows, columns, capacity, weight } = graph;
  let maxWeight = options.weightBound ?? 0;
  if (options.weightBound === undefined)
    for (let e = 0; e < weight.length; e++) if (weight[e]! > maxWeight) maxWeight = weight[e]!;
  let slots = 0;
  for (let j = 0; j < columns; j++) slots += capacity[j]!;
  return options.cardinalityFirst ? (Math.min(rows, slots) + 1) * Math.max(maxWeight, 1) : 0;
}

/** Incremental solver state: the matching, the duals and the scratch space of the searches. */
export class AssignmentSolver {
  readonly rows: number;
  readonly columns: number;
  readonly bonus: number;
  readonly rowMate: Int32Array;
  readonly u: Float64Array;
  readonly v: Float64Array;
  private graph: AssignmentGraph;
  private readonly capacity: Int32Array;
  private readonly load: Int32Array;
  private readonly slotStart: Int32Array;
  private readonly occupant: Int32Array;
  private readonly distRow: Float64Array;
  private readonly distCol: Float64Array;
  private readonly seenRow: Int32Array;
  private readonly seenCol: Int32Array;
  private readonly doneRow: Int32Array;
  private readonly doneCol: Int32Array;
  private readonly predRow: Int32Array;
  private readonly predCol: Int32Array;
  private finalRows = new Int32Array(64);
  private finalCols = new Int32Array(64);
  private readonly heap = new MinHeap();
  private search = 0;
  /** Heap pops of all searches so far, the measure of `solve`'s work limit. */
  private work = 0;
  /** Column-major copy of the graph for the column repairs, built on first use per graph. */
  private transposed: { start: Int32Array; row: Int32Array; weight: Float64Array } | null = null;

  constructor(graph: AssignmentGraph, options: AssignmentOptions = {}) {
    const { rows, columns: cols, capacity } = graph;
    this.graph = graph;
    this.rows = rows;
    this.columns = cols;
    this.capacity = capacity;
    this.bonus = cardinalityBonus(graph, options);
    this.rowMate = new Int32Array(rows).fill(-1);
    this.u = new Float64Array(rows);
    this.v = new Float64Array(cols);
    this.load = new Int32Array(cols);
    this.slotStart = new Int32Array(cols + 1);
    for (let j = 0; j < cols; j++) this.slotStart[j + 1] = this.slotStart[j]! + capacity[j]!;
    this.occupant = new Int32Array(this.slotStart[cols]!);
    this.distRow = new Float64Array(rows);
    this.distCol = new Float64Array(cols);
    this.seenRow = new Int32Array(rows);
    this.seenCol = new Int32Array(cols);
    this.doneRow = new Int32Array(rows);
    this.doneCol = new Int32Array(cols);
    this.predRow = new Int32Array(rows);
    this.predCol = new Int32Array(cols);
  }

  /**
   * Inserts every row. Given column prices near an equilibrium (see `auctionPrices`) the duals
   * start there, so that insertions find short augmenting paths even when slots run short. Any
   * prices are sound: a row may end in a column that stays part-empty while its dual is positive,
   * which only the end state must not allow, and those columns are repaired once all rows are in.
   * With a work limit (heap pops over all searches) the solve gives up once past it, returning
   * false and leaving a partial assignment; it returns true when every row is in.
   */
  solve(columnPrices?: Float64Array, workLimit = Number.POSITIVE_INFINITY): boolean {
    if (columnPrices) this.v.set(columnPrices);
    for (let i = 0; i < this.rows; i++) {
      this.insert(i);
      if (this.work > workLimit) return false;
    }
    if (!columnPrices) return true;
    for (let j = 0; j < this.columns; j++) this.repair(j);
    return true;
  }

  /**
   * Continues on `graph`, which must hold every edge of the current graph with the same weight;
   * `changed` lists (without repeats) the rows that gained edges the current duals do not cover;
   * edges gained by other rows must satisfy them. Afterwards the state is optimal for the new
   * graph, as if it had been solved cold.
   */
  extend(graph: AssignmentGraph, changed: Int32Array): void {
    if (graph.rows !== this.rows || graph.columns !== this.columns)
      throw new Error('extend needs a graph of the same shape');
    this.graph = graph;
    this.transposed = null;
    const { rowMate, u } = this;
    const freed: number[] = [];
    for (const r of changed) {
      const j = rowMate[r]!;
      u[r] = 0;
      if (j < 0) continue;
      this.removeOccupant(j, r);
      rowMate[r] = -1;
      freed.push(j);
    }
    // The rows go back in first, as in a warm `solve`: where slots are short they refill the ones
    // they left. Repairing a freed column first would search a full program end to end only to
    // drop its dual to zero, and move every dual on the way.
    for (const r of changed) this.insert(r);
    for (const j of freed) this.repair(j);
  }

  /** Repairs column j until its dual is zero or it is full: each repair does one or the other. */
  private repair(j: number) {
    const { v, load, capacity } = this;
    for (let repairs = 0; v[j]! > 0 && load[j]! < capacity[j]!; repairs++) {
      if (repairs > capacity[j]!)
        throw new IterationLimitError('assignment: column repair', capacity[j]! + 1);
      this.repairColumn(j);
    }
  }

  /**
   * Heap pops of one search: each row and each column settles once and pushes at most once per
   * edge or slot it relaxes.
   */
  private searchLimit(): number {
    return this.graph.column.length + this.slotStart[this.columns]! + this.rows + this.columns + 1;
  }

  solution(): AssignmentSolution {
    const { rows, rowMate, u, v, bonus } = this;
    const { start, column, weight } = this.graph;
    let total = 0;
    let assigned = 0;
    for (let i = 0; i < rows; i++) {
      const j = rowMate[i]!;
      if (j < 0) continue;
      assigned++;
      for (let e = start[i]!; e < start[i + 1]!; e++)
        if (column[e] === j) {
          total += weight[e]!;
          break;
        }
    }
    return { rowMate, rowDual: u, columnDual: v, bonus, total, assigned };
  }

  private removeOccupant(j: number, r: number) {
    const { occupant, slotStart, load } = this;
    const last = slotStart[j]! + load[j]! - 1;
    for (let s = slotStart[j]!; s <= last; s++)
      if (occupant[s] === r) {
        occupant[s] = occupant[last]!;
        load[j]!--;
        return;
      }
  }

  private replace(j: number, leaving: number, entering: number) {
    const { occupant, slotStart, load } = this;
    for (let s = slotStart[j]!; s < slotStart[j]! + load[j]!; s++)
      if (occupant[s] === leaving) {
        occupant[s] = entering;
        return;
      }
  }

  private settleRow(r: number, count: number): number {
    if (count === this.finalRows.length) {
      const grown = new Int32Array(count * 2);
      grown.set(this.finalRows);
      this.finalRows = grown;
    }
    this.finalRows[count] = r;
    return count + 1;
  }

  private settleCol(j: number, count: number): number {
    if (count === this.finalCols.length) {
      const grown = new Int32Array(count * 2);
      grown.set(this.finalCols);
      this.finalCols = grown;
    }
    this.finalCols[count] = j;
    return count + 1;
  }

  /** Walks the augmenting path back from column j, which row `leaving` leaves (or -1: j gains one). */
  private augment(endColumn: number, endLeaving: number) {
    const { predCol, predRow, rowMate, occupant, slotStart, load } = this;
    let j = endColumn;
    let leaving = endLeaving;
    // A path visits each row once.
    for (let steps = 0; ; steps++) {
      if (steps > this.rows) throw new IterationLimitError('assignment: augmenting path', this.rows + 1);
      const r = predCol[j]!;
      if (leaving < 0) occupant[slotStart[j]! + load[j]!++] = r;
      else this.replace(j, leaving, r);
      const from = predRow[r]!;
      rowMate[r] = j;
      if (from < 0) return;
      j = from;
      leaving = r;
    }
  }

  /** Adds row i by one Dijkstra from it over reduced costs. */
  private insert(i: number) {
    const { start, column, weight } = this.graph;
    const { u, v, rowMate, load, capacity, occupant, slotStart, bonus, heap } = this;
    const { distRow, distCol, seenRow, seenCol, doneRow, doneCol, predRow, predCol } = this;
    const cols = this.columns;
    let best = 0;
    let bestColumn = -1;
    for (let e = start[i]!; e < start[i + 1]!; e++) {
      const gain = weight[e]! + bonus - v[column[e]!]!;
      if (gain > best) {
        best = gain;
        bestColumn = column[e]!;
      }
    }
    u[i] = best;
    if (bestColumn < 0) return;
    if (load[bestColumn]! < capacity[bestColumn]!) {
      occupant[slotStart[bestColumn]! + load[bestColumn]!++] = i;
      rowMate[i] = bestColumn;
      return;
    }

    const search = ++this.search;
    heap.clear();
    let finalRowCount = 0;
    let finalColCount = 0;
    let bound = u[i]!;
    let terminalRow = i;
    let terminalCol = -1;
    seenRow[i] = search;
    distRow[i] = 0;
    predRow[i] = -1;
    heap.push(0, cols + i);
    const limit = this.searchLimit();
    let pops = 0;
    for (; heap.size > 0; pops++) {
      if (pops > limit) throw new IterationLimitError('assignment: search from a row', limit);
      const key = heap.key[0]!;
      const node = heap.node[0]!;
      heap.pop();
      if (key >= bound) break;
      if (node >= cols) {
        const r = node - cols;
        if (doneRow[r] === search || key > distRow[r]!) continue;
        doneRow[r] = search;
        finalRowCount = this.settleRow(r, finalRowCount);
        const ur = u[r]!;
        if (key + ur < bound) {
          bound = key + ur;
          terminalRow = r;
          terminalCol = -1;
        }
        const mate = rowMate[r]!;
        for (let e = start[r]!; e < start[r + 1]!; e++) {
          const j = column[e]!;
          if (j === mate || doneCol[j] === search) continue;
          let reduced = ur + v[j]! - weight[e]! - bonus;
          if (reduced < 0) reduced = 0;
          const d = key + reduced;
          if (d >= bound) continue;
          if (seenCol[j] !== search || d < distCol[j]!) {
            seenCol[j] = search;
            distCol[j] = d;
            predCol[j] = r;
            heap.push(d, j);
          }
        }
      } else {
        const j = node;
        if (doneCol[j] === search || key > distCol[j]!) continue;
        doneCol[j] = search;
        finalColCount = this.settleCol(j, finalColCount);
        if (load[j]! < capacity[j]!) {
          // A free slot ends the path whatever the column's dual (positive only after a warm start).
          if (key < bound) {
            bound = key;
            terminalCol = j;
            terminalRow = -1;
          }
          continue;
        }
        for (let s = slotStart[j]!; s < slotStart[j + 1]!; s++) {
          const r = occupant[s]!;
          if (doneRow[r] === search) continue;
          if (seenRow[r] !== search || key < distRow[r]!) {
            seenRow[r] = search;
            distRow[r] = key;
            predRow[r] = j;
            heap.push(key, cols + r);
          }
        }
      }
    }

    this.work += pops + 1;
    const { finalRows, finalCols } = this;
    for (let t = 0; t < finalRowCount; t++) {
      const r = finalRows[t]!;
      const shift = bound - distRow[r]!;
      if (shift > 0) u[r] = Math.max(0, u[r]! - shift);
    }
    for (let t = 0; t < finalColCount; t++) {
      const j = finalCols[t]!;
      const shift = bound - distCol[j]!;
      if (shift > 0) v[j]! += shift;
    }
    if (terminalCol >= 0) this.augment(terminalCol, -1);
    else if (terminalRow !== i) {
      const j = rowMate[terminalRow]!;
      rowMate[terminalRow] = -1;
      u[terminalRow] = 0;
      this.augment(j, terminalRow);
    }
  }

  private transpose() {
    if (this.transposed) return this.transposed;
    const { rows, columns: cols, start, column, weight } = this.graph;
    const colStart = new Int32Array(cols + 1);
    for (let e = 0; e < column.length; e++) colStart[column[e]! + 1]!++;
    for (let j = 0; j < cols; j++) colStart[j + 1]! += colStart[j]!;
    const fill = colStart.slice(0, cols);
    const row = new Int32Array(column.length);
    const w = new Float64Array(column.length);
    for (let i = 0; i < rows; i++)
      for (let e = start[i]!; e < start[i + 1]!; e++) {
        const slot = fill[column[e]!]!++;
        row[slot] = i;
        w[slot] = weight[e]!;
      }
    this.transposed = { start: colStart, row, weight: w };
    return this.transposed;
  }

  /**
   * Column j0 has a free slot but a positive dual, which complementary slackness forbids. The
   * mirror image of an insertion: a Dijkstra from j0 over reduced costs, through rows to the
   * columns they occupy, to the cheapest of: lowering v_j0 to zero (slot stays free), pulling in
   * an unassigned row (u = 0), or emptying a slot of another column whose dual then reaches zero.
   * Rows on the way move one column towards j0, and the duals shift so that the path is tight and
   * every edge stays feasible.
   */
  private repairColumn(j0: number) {
    const { start: colStart, row: colRow, weight: colWeight } = this.transpose();
    const { u, v, rowMate, load, occupant, slotStart, bonus, heap } = this;
    const { distRow, distCol, seenRow, seenCol, doneRow, doneCol, predRow, predCol } = this;
    const cols = this.columns;
    const search = ++this.search;
    heap.clear();
    let finalRowCount = 0;
    let finalColCount = 0;
    let bound = v[j0]!;
    let terminalRow = -1;
    let terminalCol = j0;
    seenCol[j0] = search;
    distCol[j0] = 0;
    predCol[j0] = -1;
    heap.push(0, j0);
    const limit = this.searchLimit();
    for (let pops = 0; heap.size > 0; pops++) {
      if (pops > limit) throw new IterationLimitError('assignment: search from a column', limit);
      const key = heap.key[0]!;
      const node = heap.node[0]!;
      heap.pop();
      if (key >= bound) break;
      if (node < cols) {
        const c = node;
        if (doneCol[c] === search || key > distCol[c]!) continue;
        doneCol[c] = search;
        finalColCount = this.settleCol(c, finalColCount);
        const vc = v[c]!;
        if (c !== j0 && key + vc < bound) {
          bound = key + vc;
          terminalCol = c;
          terminalRow = -1;
        }
        for (let e = colStart[c]!; e < colStart[c + 1]!; e++) {
          const r = colRow[e]!;
          // Occupants of c are reached too, at no cost: v_c may only fall if their u rises alike.
          if (doneRow[r] === search) continue;
          let reduced = u[r]! + vc - colWeight[e]! - bonus;
          if (reduced < 0) reduced = 0;
          const d = key + reduced;
          if (d >= bound) continue;
          if (seenRow[r] !== search || d < distRow[r]!) {
            seenRow[r] = search;
            distRow[r] = d;
            predRow[r] = c;
            heap.push(d, cols + r);
          }
        }
      } else {
        const r = node - cols;
        if (doneRow[r] === search || key > distRow[r]!) continue;
        doneRow[r] = search;
        finalRowCount = this.settleRow(r, finalRowCount);
        const mate = rowMate[r]!;
        if (mate < 0) {
          const d = key + u[r]!;
          if (d < bound) {
            bound = d;
            terminalRow = r;
            terminalCol = -1;
          }
          continue;
        }
        if (doneCol[mate] === search) continue;
        if (seenCol[mate] !== search || key < distCol[mate]!) {
          seenCol[mate] = search;
          distCol[mate] = key;
          predCol[mate] = r;
          heap.push(key, mate);
        }
      }
    }

    const { finalRows, finalCols } = this;
    for (let t = 0; t < finalColCount; t++) {
      const c = finalCols[t]!;
      const shift = bound - distCol[c]!;
      if (shift > 0) v[c] = Math.max(0, v[c]! - shift);
    }
    for (let t = 0; t < finalRowCount; t++) {
      const r = finalRows[t]!;
      const shift = bound - distRow[r]!;
      if (shift > 0) u[r]! += shift;
    }
    // Terminal j0 itself: its dual is now zero and the slot stays free.
    let r: number;
    if (terminalRow >= 0) r = terminalRow;
    else if (terminalCol !== j0) {
      r = predCol[terminalCol]!;
      this.removeOccupant(terminalCol, r);
    } else return;
    for (let steps = 0; ; steps++) {
      if (steps > this.rows) throw new IterationLimitError('assignment: repair path', this.rows + 1);
      const c = predRow[r]!;
      if (c === j0) {
        occupant[slotStart[j0]! + load[j0]!++] = r;
        rowMate[r] = j0;
        return;
      }
      const leaving = predCol[c]!;
      this.replace(c, leaving, r);
      rowMate[r] = c;
      r = leaving;
    }
  }
}

// See keep-shape.ts: a solver is built per solve (a fractional cardinality bonus, the general case).
keepShape(
  new AssignmentSolver(
    {
      rows: 0,
      columns: 0,
      start: new Int32Array(1),
      column: new Int32Array(0),
      weight: new Float64Array(0),
      capacity: new Int32Array(0),
    },
    { cardinalityFirst: true, weightBound: 1.5 },
  ),
);
