import { Worker } from 'node:worker_threads';
import { matchingSteps, type RunState, type StepHandlers } from '@tandem/workflows';

/** What the step worker needs to build its own store and blob store. */
export interface StepWorkerConfig {
  endpoint: string;
  tableName: string;
  /** Plain values: the config crosses into a worker thread. */
  cursorSecret: string | readonly string[];
  blobDir: string;
  chunkRows?: number | undefined;
  sampleFrom?: number | undefined;
}

export interface StepCall {
  id: number;
  step: string;
  state: RunState;
}

export type StepReply =
  | { id: number; state: RunState }
  | { id: number; error: { name: string; message: string } };

/**
 * Step handlers that run in a worker thread. The worker loads the TypeScript sources with Node's
 * own type stripping (the sources use parameter properties, hence transform-types), whatever
 * runs this thread (tsx under npm start, vitest in tests). An error keeps its name, which the
 * state machine matches (RunCancelled is not retried).
 *
 * The worker starts with the first step it is given: loading the steps' modules into a thread
 * costs about a CPU-second, which a runtime that never runs a matching run (most test apps) should
 * not pay. A worker that died of an uncaught error is replaced at the next step.
 */
export function workerStepHandlers(config: StepWorkerConfig): {
  handlers: StepHandlers;
  close: () => Promise<void>;
} {
  const waiting = new Map<number, { resolve: (state: RunState) => void; reject: (error: Error) => void }>();
  let next = 0;
  let worker: Worker | undefined;
  const started = (): Worker => {
    if (worker) return worker;
    const thread = new Worker(new URL('./step-worker.ts', import.meta.url), {
      workerData: config,
      execArgv: ['--experimental-transform-types', '--disable-warning=ExperimentalWarning'],
    });
    // The worker must not keep npm start (or a test run) alive once everything else has stopped.
    thread.unref();
    thread.on('message', (reply: StepReply) => {
      const call = waiting.get(reply.id);
      if (!call) return;
      waiting.delete(reply.id);
      if ('error' in reply) {
        const error = new Error(reply.error.message);
        error.name = reply.error.name;
        call.reject(error);
      } else call.resolve(reply.state);
    });
    thread.on('error', (error) => {
      if (worker === thread) worker = undefined;
      for (const call of waiting.values()) call.reject(error);
      waiting.clear();
    });
    worker = thread;
    return thread;
  };
  const handlers = Object.fromEntries(
    matchingSteps.map((step) => [
      step,
      (state: RunState) =>
        new Promise<RunState>((resolve, reject) => {
          const id = next++;
          waiting.set(id, { resolve, reject });
          started().postMessage({ id, step, state } satisfies StepCall);
        }),
    ]),
  ) as StepHandlers;
  return {
    handlers,
    close: async () => {
      const running = worker;
      worker = undefined;
      if (running) await running.terminate();
    },
  };
}
