/**
 * Candidate selection for one_to_one programs: each mentee's best mentors for the graph and the
 * next best in reserve, in this thread or shared out over worker threads (`threads.ts`). Selection
 * scans every mentor for every mentee and rows are independent, so large programs use every core.
 */
import { boundedTopCandidates, type MentorBounds } from './bounded-candidates.ts';
import type { CandidateRows } from './candidates.ts';
import type { CompiledProgram } from './profiles.ts';
import { shareOut } from './threads.ts';

/**
 * Each mentee's top-k mentors (k from the program's settings) go into the graph, and as many next
 * best are kept in reserve for pricing (see `CandidateRows.reserve`). Without the reserve every
 * row whose duals moved had its cheap columns scored again; a deeper reserve than the graph's
 * lists brought nothing more (docs/benchmarks.md).
 */
export function selectCandidates(
  cp: CompiledProgram,
  bounds: MentorBounds,
  mentees: Int32Array,
  prices?: Float64Array,
): CandidateRows {
  const k = cp.settings.candidates;
  return boundedTopCandidates(bounds, mentees, k, { reserve: k, ...(prices ? { prices } : {}) });
}

/**
 * Mentees per part that a thread claims at a time: small enough that the threads finish together
 * (a worker starts about half a second late, and the cores here do not always run at one speed),
 * large enough that a part's set-up is nothing beside its scans.
 */
const PART_ROWS = 2_000;

/**
 * `selectCandidates` over `threads` threads (this one included): the mentees are cut into
 * contiguous parts of `partRows` (tests take a few), which the threads claim one at a time, and
 * the parts' rows joined in order, so the result equals one pass.
 */
export function selectCandidatesInParallel(
  cp: CompiledProgram,
  bounds: MentorBounds,
  mentees: Int32Array,
  threads: number,
  prices?: Float64Array,
  partRows = PART_ROWS,
): CandidateRows {
  const count = Math.max(
    1,
    Math.min(mentees.length, Math.max(threads, Math.ceil(mentees.length / partRows))),
  );
  const cut = (part: number) => Math.round((mentees.length * part) / count);
  const parts = Array.from({ length: count }, (_, part) => mentees.subarray(cut(part), cut(part + 1)));
  const rows = shareOut(cp, parts, threads, (part) => selectCandidates(cp, bounds, part, prices), {
    kind: 'select',
    mentors: bounds.columns,
    parts,
    prices,
  });
  const joined = concatCandidateRows(rows);
  return prices ? { ...joined, base: prices } : joined;
}

/** The rows of consecutive parts (each with its own offsets) as one, in order. */
export function concatCandidateRows(parts: readonly CandidateRows[]): CandidateRows {
  const rows = parts.reduce((sum, part) => sum + part.cutoff.length, 0);
  const lists = concatLists(parts.map((part) => ({ ...part, value: part.score })));
  const cutoff = new Float64Array(rows);
  let from = 0;
  for (const part of parts) {
    cutoff.set(part.cutoff, from);
    from += part.cutoff.length;
  }
  const joined: CandidateRows = { start: lists.start, column: lists.column, score: lists.value, cutoff };
  if (!parts.every((part) => part.reserve !== undefined)) return joined;
  const reserve = concatLists(parts.map((part) => ({ ...part.reserve!, value: part.reserve!.bound })));
  return { ...joined, reserve: { start: reserve.start, column: reserve.column, bound: reserve.value } };
}

function concatLists(parts: { start: Int32Array; column: Int32Array; value: Float64Array }[]): {
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
} {
  const rows = parts.reduce((sum, part) => sum + part.start.length - 1, 0);
  const edges = parts.reduce((sum, part) => sum + part.column.length, 0);
  const start = new Int32Array(rows + 1);
  const column = new Int32Array(edges);
  const value = new Float64Array(edges);
  let row = 0;
  let offset = 0;
  for (const part of parts) {
    const count = part.start.length - 1;
    for (let r = 0; r < count; r++) start[row + r + 1] = offset + part.start[r + 1]!;
    column.set(part.column, offset);
    value.set(part.value, offset);
    row += count;
    offset += part.column.length;
  }
  return { start, column, value };
}
