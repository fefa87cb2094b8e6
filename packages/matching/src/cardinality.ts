/**
 * Maximum-cardinality many-to-one matching (Hopcroft–Karp with column capacities): rows take at
 * most one column, column j at most capacity[j] rows. Phases of a breadth-first layering from the
 * free rows and depth-first augmentations along it, O(m √n).
 *
 * The weighted solver uses it to find the rows a candidate graph cannot place before it solves:
 * inserting such a row searches everything reachable from it, which on a large graph with a few
 * hundred of them is prohibitive.
 */
import type { AssignmentGraph } from './assignment.ts';

export interface CardinalityMatching {
  /** Column of each row, -1 when unmatched. */
  rowMate: Int32Array;
  /** Rows placed in each column. */
  load: Int32Array;
  size: number;
}

/**
 * `initial`, when given, is a matching to grow (a column per row, or -1): one of a graph that had
 * fewer edges, which the search then only has to extend.
 */
export function maximumMatching(
  graph: Pick<AssignmentGraph, 'rows' | 'columns' | 'start' | 'column' | 'capacity'>,
  initial?: Int32Array,
): CardinalityMatching {
  const { rows, columns, start, column, capacity } = graph;
  const rowMate = new Int32Array(rows).fill(-1);
  const load = new Int32Array(columns);
  const slotStart = new Int32Array(columns + 1);
  for (let j = 0; j < columns; j++) slotStart[j + 1] = slotStart[j]! + capacity[j]!;
  const occupant = new Int32Array(slotStart[columns]!);
  let size = 0;

  if (initial !== undefined)
    for (let i = 0; i < rows; i++) {
      const j = initial[i]!;
      if (j < 0) continue;
      occupant[slotStart[j]! + load[j]!++] = i;
      rowMate[i] = j;
      size++;
    }
  // Greedy start: most rows find a free column among their own edges.
  for (let i = 0; i < rows; i++)
    for (let e = start[i]!; e < start[i + 1]! && rowMate[i] === -1; e++) {
      const j = column[e]!;
      if (load[j]! < capacity[j]!) {
        occupant[slotStart[j]! + load[j]!++] = i;
        rowMate[i] = j;
        size++;
        break;
      }
    }

  const layer = new Int32Array(rows);
  const queue = new Int32Array(rows);
  const edgeAt = new Int32Array(rows);
  const stackRow = new Int32Array(rows);
  const stackSlot = new Int32Array(rows);
  const NONE = -1;
  const VISITED = -2;
  for (;;) {
    // Layers: free rows at 0; a full column leads to its occupants one layer down.
    let head = 0;
    let tail = 0;
    layer.fill(NONE);
    for (let i = 0; i < rows; i++)
      if (rowMate[i] === -1 && start[i + 1]! > start[i]!) {
        layer[i] = 0;
        queue[tail++] = i;
      }
    let reachesFree = Number.POSITIVE_INFINITY;
    while (head < tail) {
      const i = queue[head++]!;
      if (layer[i]! >= reachesFree) break;
      for (let e = start[i]!; e < start[i + 1]!; e++) {
        const j = column[e]!;
        if (j === rowMate[i]) continue;
        if (load[j]! < capacity[j]!) {
          reachesFree = Math.min(reachesFree, layer[i]! + 1);
          continue;
        }
        for (let s = slotStart[j]!; s < slotStart[j]! + load[j]!; s++) {
          const r = occupant[s]!;
          if (layer[r] === NONE) {
            layer[r] = layer[i]! + 1;
            queue[tail++] = r;
          }
        }
      }
    }
    if (reachesFree === Number.POSITIVE_INFINITY) break;

    // Augment along the layers, depth first with an explicit stack. Rows on a path or at a dead end
    // are marked visited, so the phase's paths are disjoint and each row is tried once.
    let augmented = 0;
    for (let root = 0; root < rows; root++) {
      if (rowMate[root] !== -1 || layer[root] !== 0) continue;
      layer[root] = VISITED;
      let depth = 0;
      stackRow[0] = root;
      edgeAt[root] = start[root]!;
      while (depth >= 0) {
        const i = stackRow[depth]!;
        const below = depth + 1;
        let descended = false;
        for (; edgeAt[i]! < start[i + 1]!; edgeAt[i]!++) {
          const j = column[edgeAt[i]!]!;
          if (j === rowMate[i]) continue;
          if (load[j]! < capacity[j]!) {
            // A free slot: every row on the stack moves one column along, the last one into j.
            for (let d = 0; d < depth; d++) rowMate[stackRow[d]!] = rowMate[stackRow[d + 1]!]!;
            for (let d = 0; d < depth; d++) occupant[stackSlot[d]!] = stackRow[d]!;
            rowMate[i] = j;
            occupant[slotStart[j]! + load[j]!++] = i;
            size++;
            augmented++;
            depth = -1;
            descended = true;
            break;
          }
          let next = -1;
          for (let s = slotStart[j]!; s < slotStart[j]! + load[j]!; s++)
            if (layer[occupant[s]!] === below) {
              next = occupant[s]!;
              stackSlot[depth] = s;
              break;
            }
          if (next < 0) continue;
          layer[next] = VISITED;
          stackRow[below] = next;
          edgeAt[next] = start[next]!;
          depth = below;
          descended = true;
          break;
        }
        if (!descended) depth--;
      }
    }
    if (augmented === 0) break;
  }
  return { rowMate, load, size };
}
