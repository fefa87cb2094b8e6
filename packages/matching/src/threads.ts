/**
 * Work shared out over worker threads: candidate selection (`selection.ts`) and the sample's
 * markets (`one-to-one.ts`), which are independent per row or per market and take most of a large
 * program's time. `runMatching` is synchronous (the solve that follows needs every result), so
 * this thread claims items too and then blocks on `Atomics.wait` until each worker has posted its
 * results. Workers load the TypeScript sources directly (Node strips the types; the package keeps
 * to erasable syntax for that). Where the sources are not beside this module, as in a bundled
 * Lambda, every item is done here; the result is the same either way. A worker's error is thrown
 * here.
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

/**
 * Work items of one kind: a worker computes each item it claims as the sharing thread's `here`
 * does (see `worker.ts`).
 */
export type WorkerTask =
  | { kind: 'select'; mentors: Int32Array; parts: Int32Array[]; prices: Float64Array | undefined }
  | { kind: 'markets'; markets: Market[] };

/** What a worker is handed (see `worker.ts`). */
export interface WorkerInput {
  port: MessagePort;
  /** Set to 1 once the result is posted, 2 once an error is; the worker notifies on it. */
  signal: Int32Array;
  /** The next item to claim, shared by every thread (`Atomics.add`). */
  claim: Int32Array;
  program: CompiledProgram;
  task: WorkerTask;
}

/** The items a worker computed, by index, or its error. */
export type WorkerReply = { result: [number, unknown][] } | { error: string };

const workerFile = new URL('./worker.ts', import.meta.url);

/** Whether worker threads can load the matching code (its sources are beside this module). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(workerFile));
}

/** Claims items from `claim` until none is left, computing each; the results by item index. */
export function claimItems<T>(claim: Int32Array, count: number, compute: (item: number) => T): [number, T][] {
  const done: [number, T][] = [];
  for (let item = Atomics.add(claim, 0, 1); item < count; item = Atomics.add(claim, 0, 1))
    done.push([item, compute(item)]);
  return done;
}

/**
 * `here(item)` for every item, in item order, computed on `threads` threads (this one and
 * `threads − 1` workers each running `task`, which must compute the same). Threads claim items one
 * at a time until none is left, so that one that started late or runs slow takes fewer.
 */
export function shareOut<S, T>(
  cp: CompiledProgram,
  items: readonly S[],
  threads: number,
  here: (item: S) => T,
  task: WorkerTask,
): T[] {
  const workers = Math.min(Math.floor(threads), items.length) - 1;
  if (workers < 1 || !workersAvailable()) return items.map(here);
  const claim = new Int32Array(new SharedArrayBuffer(4));
  // Scoring reads only the compiled arrays: the participants' own records stay here.
  const program: CompiledProgram = { ...cp, participants: [] };
  const started = Array.from({ length: workers }, () => startWorker(program, claim, task));
  const results = new Array<T>(items.length);
  for (const [item, result] of claimItems(claim, items.length, (item) => here(items[item]!)))
    results[item] = result;
  for (const worker of started)
    for (const [item, result] of worker.wait() as [number, T][]) results[item] = result;
  return results;
}

/** Starts one worker; `wait` blocks for its results (and throws what it failed with). */
function startWorker(program: CompiledProgram, claim: Int32Array, task: WorkerTask): { wait: () => unknown } {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = { port: port2, signal, claim, program, task };
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
