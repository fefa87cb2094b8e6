/**
 * Candidate selection for one_to_one programs: each mentee's best mentors for the graph and the
 * next best in reserve, in this thread or split across worker threads. Selection scans every
 * mentor for every mentee (about 0.3 ms a row at 25,000 mentors), rows are independent, and a
 * 100,000-mentee program spends half its time here, so large programs use every core.
 *
 * `runMatching` is synchronous (the solver that follows needs every row), so this thread selects
 * its own share and then blocks on `Atomics.wait` until each worker has posted its rows. Workers
 * load the TypeScript sources directly (Node strips the types; the package keeps to erasable
 * syntax for that). Where the sources are not beside this module, as in a bundled Lambda, every
 * row is selected here; the result is the same either way. A worker's error is thrown here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { boundedTopCandidates, type MentorBounds } from './bounded-candidates.ts';
import type { CandidateRows } from './candidates.ts';
import type { CompiledProgram } from './profiles.ts';

/**
 * Each mentee's top-k mentors (k from the program's settings) go into the graph, and as many next
 * best are kept in reserve for pricing (see `CandidateRows.reserve`). Without the reserve every
 * row whose duals moved had its cheap columns scored again: on the benchmark's 100,000-mentee
 * program the main solve took 26 s; with 30 in reserve 15.5 s, with 70 no better.
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

/** What a selection worker is handed (see `selection-worker.ts`). */
export interface SelectionTask {
  port: MessagePort;
  /** Set to 1 once the rows are posted, 2 once an error is; the worker notifies on it. */
  signal: Int32Array;
  program: CompiledProgram;
  mentors: Int32Array;
  mentees: Int32Array;
  prices: Float64Array | undefined;
}

export type SelectionReply = { rows: CandidateRows } | { error: string };

const workerFile = new URL('./selection-worker.ts', import.meta.url);

/** Whether worker threads can load the selection code (its sources are beside this module). */
export function parallelSelectionAvailable(): boolean {
  return existsSync(fileURLToPath(workerFile));
}

/**
 * `selectCandidates` over `threads` threads (this one included): the mentees are cut into that
 * many contiguous parts and the parts' rows joined in order, so the result equals one pass.
 */
export function selectCandidatesInParallel(
  cp: CompiledProgram,
  bounds: MentorBounds,
  mentees: Int32Array,
  threads: number,
  prices?: Float64Array,
): CandidateRows {
  const parts = Math.max(1, Math.min(Math.floor(threads), mentees.length));
  if (parts === 1 || !parallelSelectionAvailable()) return selectCandidates(cp, bounds, mentees, prices);
  const cut = (part: number) => Math.round((mentees.length * part) / parts);
  const shares = Array.from({ length: parts }, (_, part) => mentees.subarray(cut(part), cut(part + 1)));
  // Scoring reads only the compiled arrays: the participants' own records stay here.
  const program: CompiledProgram = { ...cp, participants: [] };
  const started = shares.slice(1).map((share) => startWorker(program, bounds.columns, share, prices));
  const rows = [selectCandidates(cp, bounds, shares[0]!, prices)];
  for (const worker of started) rows.push(worker.wait());
  const joined = concatCandidateRows(rows);
  return prices ? { ...joined, base: prices } : joined;
}

/** Starts one worker on `mentees`; `wait` blocks for its rows (and throws what it failed with). */
function startWorker(
  program: CompiledProgram,
  mentors: Int32Array,
  mentees: Int32Array,
  prices: Float64Array | undefined,
): { wait: () => CandidateRows } {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const task: SelectionTask = { port: port2, signal, program, mentors, mentees, prices };
  const worker = new Worker(workerFile, { workerData: task, transferList: [port2] });
  return {
    wait() {
      while (Atomics.load(signal, 0) === 0) Atomics.wait(signal, 0, 0);
      const reply = receiveMessageOnPort(port1)?.message as SelectionReply | undefined;
      port1.close();
      void worker.terminate();
      if (reply === undefined) throw new Error('a candidate selection worker signalled without a reply');
      if ('error' in reply) throw new Error(`a candidate selection worker failed: ${reply.error}`);
      return reply.rows;
    },
  };
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
