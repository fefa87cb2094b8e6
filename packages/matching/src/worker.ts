/**
 * A worker thread of `shareOut` (`threads.ts`): claims items of its task until none is left, posts
 * the results back (typed arrays transferred) and raises the signal the sharing thread blocks on.
 * The matching code is imported inside the try, so that even a failure to load it is reported
 * rather than left to hang.
 */
import { workerData } from 'node:worker_threads';
import type { CandidateRows } from './candidates.ts';
import { claimItems, type WorkerInput, type WorkerReply } from './threads.ts';

const { port, signal, claim, program, task } = workerData as WorkerInput;
let reply: WorkerReply;
let transfer: ArrayBuffer[] = [];
try {
  if (task.kind === 'select') {
    const { MentorBounds } = await import('./bounded-candidates.ts');
    const { selectCandidates } = await import('./selection.ts');
    const bounds = new MentorBounds(program, task.mentors);
    const done = claimItems(claim, task.parts.length, (part): CandidateRows => {
      const { base: _, ...rows } = selectCandidates(program, bounds, task.parts[part]!, task.prices);
      return rows;
    });
    reply = { result: done };
    for (const [, rows] of done) {
      const arrays = [rows.start, rows.column, rows.score, rows.cutoff];
      if (rows.reserve) arrays.push(rows.reserve.start, rows.reserve.column, rows.reserve.bound);
      transfer.push(...arrays.map((array) => array.buffer as ArrayBuffer));
    }
  } else {
    const { marketDuals } = await import('./one-to-one.ts');
    const done = claimItems(claim, task.markets.length, (market) =>
      marketDuals(program, task.markets[market]!),
    );
    reply = { result: done };
    transfer = done.map(([, duals]) => duals.buffer as ArrayBuffer);
  }
} catch (error) {
  reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
port.postMessage(reply, transfer);
port.close();
Atomics.store(signal, 0, 'result' in reply ? 1 : 2);
Atomics.notify(signal, 0);
