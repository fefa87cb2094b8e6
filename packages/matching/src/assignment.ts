/**
 * Maximum-weight many-to-one assignment (rows take at most one column, column j at most
 * capacity[j] rows) on a sparse graph, by shortest augmenting paths with dual potentials: rows are
 * inserted one at a time and each insertion runs a Dijkstra (binary heap) over reduced costs, so the
 * duals prove optimality throughout and later certify edges that were left out of the graph.
 *
 * Dual LP: minimize Σ u_i + Σ capacity_j · v_j with u, v ≥ 0 and u_i + v_j ≥ w_ij. Invariants: every
 * assigned edge is tight, u_i > 0 only for assigned rows, v_j > 0 only for full columns.
 */

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
}

class MinHeap {
  key = new Float64Array(64);
  node = new Int32Array(64);
  size = 0;
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
  const { rows, columns: cols, start, column, weight, capacity } = graph;
  let maxWeight = 0;
  for (let e = 0; e < weight.length; e++) if (weight[e]! > maxWeight) maxWeight = weight[e]!;
  let slots = 0;
  for (let j = 0; j < cols; j++) slots += capacity[j]!;
  const bonus = options.cardinalityFirst ? (Math.min(rows, slots) + 1) * Math.max(maxWeight, 1) : 0;

  const rowMate = new Int32Array(rows).fill(-1);
  const u = new Float64Array(rows);
  const v = new Float64Array(cols);
  const load = new Int32Array(cols);
  const slotStart = new Int32Array(cols + 1);
  for (let j = 0; j < cols; j++) slotStart[j + 1] = slotStart[j]! + capacity[j]!;
  const occupant = new Int32Array(slotStart[cols]!);

  const distRow = new Float64Array(rows);
  const distCol = new Float64Array(cols);
  const seenRow = new Int32Array(rows);
  const seenCol = new Int32Array(cols);
  const doneRow = new Int32Array(rows);
  const doneCol = new Int32Array(cols);
  const predRow = new Int32Array(rows);
  const predCol = new Int32Array(cols);
  let finalRows = new Int32Array(64);
  let finalCols = new Int32Array(64);
  const heap = new MinHeap();
  let search = 0;

  const replace = (j: number, leaving: number, entering: number) => {
    for (let s = slotStart[j]!; s < slotStart[j]! + load[j]!; s++)
      if (occupant[s] === leaving) {
        occupant[s] = entering;
        return;
      }
  };
  /** Walks the augmenting path back from column j, which row `leaving` leaves (or -1: j gains one). */
  const augment = (endColumn: number, endLeaving: number) => {
    let j = endColumn;
    let leaving = endLeaving;
    for (;;) {
      const r = predCol[j]!;
      if (leaving < 0) occupant[slotStart[j]! + load[j]!++] = r;
      else replace(j, leaving, r);
      const from = predRow[r]!;
      rowMate[r] = j;
      if (from < 0) return;
      j = from;
      leaving = r;
    }
  };

  for (let i = 0; i < rows; i++) {
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
    if (bestColumn < 0) continue;
    if (load[bestColumn]! < capacity[bestColumn]!) {
      occupant[slotStart[bestColumn]! + load[bestColumn]!++] = i;
      rowMate[i] = bestColumn;
      continue;
    }

    search++;
    heap.size = 0;
    let finalRowCount = 0;
    let finalColCount = 0;
    let bound = u[i]!;
    let terminalRow = i;
    let terminalCol = -1;
    seenRow[i] = search;
    distRow[i] = 0;
    predRow[i] = -1;
    heap.push(0, cols + i);
    while (heap.size > 0) {
      const key = heap.key[0]!;
      const node = heap.node[0]!;
      heap.pop();
      if (key >= bound) break;
      if (node >= cols) {
        const r = node - cols;
        if (doneRow[r] === search || key > distRow[r]!) continue;
        doneRow[r] = search;
        if (finalRowCount === finalRows.length) {
          const grown = new Int32Array(finalRows.length * 2);
          grown.set(finalRows);
          finalRows = grown;
        }
        finalRows[finalRowCount++] = r;
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
        if (finalColCount === finalCols.length) {
          const grown = new Int32Array(finalCols.length * 2);
          grown.set(finalCols);
          finalCols = grown;
        }
        finalCols[finalColCount++] = j;
        if (load[j]! < capacity[j]!) {
          const d = key + v[j]!;
          if (d < bound) {
            bound = d;
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
    if (terminalCol >= 0) augment(terminalCol, -1);
    else if (terminalRow !== i) {
      const j = rowMate[terminalRow]!;
      rowMate[terminalRow] = -1;
      u[terminalRow] = 0;
      augment(j, terminalRow);
    }
  }

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
