/**
 * A worker thread of `selectCandidatesInParallel`: selects its share of the rows and posts them
 * back, then raises the signal the selecting thread blocks on. The selection code is imported
 * inside the try, so that even a failure to load it is reported rather than left to hang.
 */
import { workerData } from 'node:worker_threads';
import type { CandidateRows } from './candidates.ts';
import type { SelectionReply, SelectionTask } from './selection.ts';

const { port, signal, program, mentors, mentees, prices } = workerData as SelectionTask;
let reply: SelectionReply;
let transfer: ArrayBuffer[] = [];
try {
  const { MentorBounds } = await import('./bounded-candidates.ts');
  const { selectCandidates } = await import('./selection.ts');
  const rows: CandidateRows = selectCandidates(program, new MentorBounds(program, mentors), mentees, prices);
  const { base: _, ...own } = rows;
  reply = { rows: own };
  const arrays = [own.start, own.column, own.score, own.cutoff];
  if (own.reserve) arrays.push(own.reserve.start, own.reserve.column, own.reserve.bound);
  transfer = arrays.map((array) => array.buffer as ArrayBuffer);
} catch (error) {
  reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
port.postMessage(reply, transfer);
port.close();
Atomics.store(signal, 0, 'rows' in reply ? 1 : 2);
Atomics.notify(signal, 0);
