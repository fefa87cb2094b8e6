/**
 * A starting point for the blossom solver from the fractional relaxation, as LEMON's
 * MaxWeightedMatching starts from MaxWeightedFractionalMatching: the maximum-weight matching of the
 * bipartite double cover (vertex v as a row and as a column, edge uv as row u–column v and row
 * v–column u) is an optimal half-integral fractional matching, found by the assignment solver
 * without any blossom. Its duals give every vertex y_v = u_v + v_v, which is feasible for the
 * general graph (y_a + y_b >= 2q, adding the two bipartite constraints of edge ab) and, by
 * complementary slackness, tight on every edge the bipartite matching uses in either direction.
 * The rows and columns it pairs up form paths and cycles of tight edges; every other edge of them
 * is matched, so only the vertices of odd cycles and path ends that pairs leave over start as
 * roots. On graphs built to make a blossom solver take about n^2 / 16 dual steps (Van Rantwijk's
 * slow graphs) the fractional optimum is already integral, and no root is left at all.
 */
import { AssignmentSolver } from './assignment.ts';

export interface FractionalStart {
  /** mate[v] is v's partner, -1 when unmatched. */
  readonly mate: Int32Array;
  /** y_v in the blossom solver's dual units (the constraint of edge ab reads y_a + y_b >= 2q). */
  readonly vertexDual: Float64Array;
}

/**
 * The fractional start for the graph of `n` vertices whose edge e joins endpoint[2e] and
 * endpoint[2e + 1] with quantised (integer) weight quantised[e] > 0, or null when the assignment
 * solver passes `workLimit` heap pops (it is O(nm log n) on some graphs where the blossom solver is
 * near-linear, such as long paths).
 */
export function fractionalStart(
  n: number,
  endpoint: Int32Array,
  quantised: Float64Array,
  workLimit: number,
): FractionalStart | null {
  const m = quantised.length;
  const start = new Int32Array(n + 1);
  for (let k = 0; k < 2 * m; k++) start[endpoint[k]! + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const column = new Int32Array(2 * m);
  const weight = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) {
    const a = endpoint[2 * e]!;
    const b = endpoint[2 * e + 1]!;
    let k = fill[a]!++;
    column[k] = b;
    weight[k] = quantised[e]!;
    k = fill[b]!++;
    column[k] = a;
    weight[k] = quantised[e]!;
  }
  const graph = { rows: n, columns: n, start, column, weight, capacity: new Int32Array(n).fill(1) };
  const solver = new AssignmentSolver(graph);
  if (!solver.solve(undefined, workLimit)) return null;
  const { rowMate, u, v: columnDual } = solver;
  const vertexDual = new Float64Array(n);
  for (let x = 0; x < n; x++) vertexDual[x] = u[x]! + columnDual[x]!;

  const mate = new Int32Array(n).fill(-1);
  const tight: TightPairs = { rowMate, mate, start, column, weight, vertexDual };
  // Paths are paired from their first vertex (no row points at it) so that every other edge is
  // matched from the start; what is left are cycles, paired from any vertex.
  const pointedAt = new Uint8Array(n);
  for (let x = 0; x < n; x++) if (rowMate[x]! >= 0) pointedAt[rowMate[x]!] = 1;
  for (let head = 0; head < n; head++) {
    if (pointedAt[head] === 1) continue;
    for (let x = head, steps = 0; x >= 0 && steps < n; x = rowMate[x]!, steps++) pair(tight, x);
  }
  for (let x = 0; x < n; x++) pair(tight, x);
  return { mate, vertexDual };
}

interface TightPairs {
  readonly rowMate: Int32Array;
  readonly mate: Int32Array;
  readonly start: Int32Array;
  readonly column: Int32Array;
  readonly weight: Float64Array;
  readonly vertexDual: Float64Array;
}

/**
 * Pairs x with rowMate[x] when both are still single and the edge is tight. A module function, not
 * a closure: optimised code that inlined a closure is thrown away once the closure is collected
 * (see keep-shape.ts), and a closure is a new object on every call.
 */
function pair(g: TightPairs, x: number): void {
  const { rowMate, mate, start, column, weight, vertexDual } = g;
  const t = rowMate[x]!;
  if (t < 0 || mate[x] !== -1 || mate[t] !== -1) return;
  for (let k = start[x]!; k < start[x + 1]!; k++) {
    if (column[k] !== t || vertexDual[x]! + vertexDual[t]! !== 2 * weight[k]!) continue;
    mate[x] = t;
    mate[t] = x;
    return;
  }
}
