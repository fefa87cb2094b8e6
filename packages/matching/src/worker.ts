/**
 * A worker thread of `shareOut` (`threads.ts`): does its task, posts the result back (typed arrays
 * transferred) and raises the signal the sharing thread blocks on. The matching code is imported
 * inside the try, so that even a failure to load it is reported rather than left to hang.
 */
import { workerData } from 'node:worker_threads';
import type { WorkerInput, WorkerReply } from './threads.ts';

const { port, signal, program, task } = workerData as WorkerInput;
let reply: WorkerReply;
let transfer: ArrayBuffer[] = [];
try {
  if (task.kind === 'select') {
    const { MentorBounds } = await import('./bounded-candidates.ts');
    const { selectCandidates } = await import('./selection.ts');
    const bounds = new MentorBounds(program, task.mentors);
    const { base: _, ...rows } = selectCandidates(program, bounds, task.mentees, task.prices);
    reply = { result: rows };
    const arrays = [rows.start, rows.column, rows.score, rows.cutoff];
    if (rows.reserve) arrays.push(rows.reserve.start, rows.reserve.column, rows.reserve.bound);
    transfer = arrays.map((array) => array.buffer as ArrayBuffer);
  } else {
    const { marketDuals } = await import('./one-to-one.ts');
    const duals = task.markets.map((market) => marketDuals(program, market));
    reply = { result: duals };
    transfer = duals.map((array) => array.buffer as ArrayBuffer);
  }
} catch (error) {
  reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
port.postMessage(reply, transfer);
port.close();
Atomics.store(signal, 0, 'result' in reply ? 1 : 2);
Atomics.notify(signal, 0);
