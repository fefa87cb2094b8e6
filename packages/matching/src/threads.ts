/**
 * Work shared out over worker threads: candidate selection (`selection.ts`) and the sample's
 * markets (`one-to-one.ts`), which are independent per row or per market and take most of a large
 * program's time. `runMatching` is synchronous (the solve that follows needs every result), so
 * this thread does the first share itself and then blocks on `Atomics.wait` until each worker has
 * posted its result. Workers load the TypeScript sources directly (Node strips the types; the
 * package keeps to erasable syntax for that). Where the sources are not beside this module, as in
 * a bundled Lambda, every share is done here; the result is the same either way. A worker's error
 * is thrown here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CompiledProgram } from './profiles.ts';

/** A sample market: its mentors (participant indices), its mentees and the mentors' places. */
export interface Market {
  mentors: Int32Array;
  rows: Int32Array;
  capacity: Int32Array;
}

export type WorkerTask =
  | { kind: 'select'; mentors: Int32Array; mentees: Int32Array; prices: Float64Array | undefined }
  | { kind: 'markets'; markets: Market[] };

/** What a worker is handed (see `worker.ts`). */
export interface WorkerInput {
  port: MessagePort;
  /** Set to 1 once the result is posted, 2 once an error is; the worker notifies on it. */
  signal: Int32Array;
  program: CompiledProgram;
  task: WorkerTask;
}

export type WorkerReply = { result: unknown } | { error: string };

const workerFile = new URL('./worker.ts', import.meta.url);

/** Whether worker threads can load the matching code (its sources are beside this module). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(workerFile));
}

/**
 * `here(share)` for every share, in share order: the first in this thread, each other one in a
 * worker of its own running `task(share)`, which must compute the same.
 */
export function shareOut<S, T>(
  cp: CompiledProgram,
  shares: readonly S[],
  here: (share: S) => T,
  task: (share: S) => WorkerTask,
): T[] {
  if (shares.length < 2 || !workersAvailable()) return shares.map(here);
  // Scoring reads only the compiled arrays: the participants' own records stay here.
  const program: CompiledProgram = { ...cp, participants: [] };
  const started = shares.slice(1).map((share) => startWorker(program, task(share)));
  const results = [here(shares[0]!)];
  for (const worker of started) results.push(worker.wait() as T);
  return results;
}

/** Starts one worker; `wait` blocks for its result (and throws what it failed with). */
function startWorker(program: CompiledProgram, task: WorkerTask): { wait: () => unknown } {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = { port: port2, signal, program, task };
  const worker = new Worker(workerFile, { workerData: input, transferList: [port2] });
  return {
    wait() {
      while (Atomics.load(signal, 0) === 0) Atomics.wait(signal, 0, 0);
      const reply = receiveMessageOnPort(port1)?.message as WorkerReply | undefined;
      port1.close();
      void worker.terminate();
      if (reply === undefined) throw new Error(`a matching worker (${task.kind}) signalled without a reply`);
      if ('error' in reply) throw new Error(`a matching worker (${task.kind}) failed: ${reply.error}`);
      return reply.result;
    },
  };
}
