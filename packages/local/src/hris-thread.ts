import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Db } from '@tandem/store';
import type { DbPriority } from './db-priority.ts';
import { TableHrisQueue } from './hris-runtime.ts';

/** What the HRIS worker thread needs to open its own client on the table. Plain values only. */
export interface HrisThreadConfig {
  endpoint: string;
  tableName: string;
  cursorSecret: string | readonly string[];
  queueName?: string | undefined;
  /** `DbPriority.shared` of the API's priority: the thread's operations step aside for the API's. */
  priority: SharedArrayBuffer;
  /** The thread's operations in flight at most. */
  inFlight: number;
}

export type HrisThreadMessage = { type: 'wake' } | { type: 'stop' };
export type HrisThreadReport =
  | { type: 'error'; error: { name: string; message: string; stack?: string | undefined } }
  | { type: 'stopped' };

export interface HrisThreadOptions {
  endpoint: string;
  /** Where deliveries are queued: the API's table client, which writes them with their receipts. */
  db: Db;
  cursorSecret: string | readonly string[];
  queueName?: string;
  priority: DbPriority;
  inFlight?: number;
  onError: (error: Error) => void;
}

/**
 * The HRIS worker of `npm start` in a thread of its own, as the worker Lambda is apart from the
 * ingest Lambda in AWS: the API thread only acknowledges deliveries (one write each) and wakes the
 * thread, which applies them. Applying a change (reads, merge, validation, an 8-item transaction)
 * costs several times what acknowledging one does; on the API's thread that work queued in front
 * of the acknowledgements, here it runs beside them.
 */
export function startHrisThread(options: HrisThreadOptions) {
  const config: HrisThreadConfig = {
    endpoint: options.endpoint,
    tableName: options.db.tableName,
    cursorSecret: options.cursorSecret,
    queueName: options.queueName,
    priority: options.priority.shared,
    inFlight: options.inFlight ?? 2,
  };
  const worker = new Worker(new URL('./hris-worker.ts', import.meta.url), {
    workerData: config,
    // As the matching step worker: Node's own type stripping loads the sources in the thread.
    execArgv: ['--experimental-transform-types', '--disable-warning=ExperimentalWarning'],
  });
  // The thread must not keep npm start alive once everything else has stopped.
  worker.unref();
  worker.on('message', (report: HrisThreadReport) => {
    if (report.type !== 'error') return;
    const error = new Error(report.error.message);
    error.name = report.error.name;
    if (report.error.stack) error.stack = report.error.stack;
    options.onError(error);
  });
  worker.on('error', options.onError);
  const send = (message: HrisThreadMessage) => worker.postMessage(message);

  const queue = new TableHrisQueue(options.db, options.queueName);
  queue.onSend = () => send({ type: 'wake' });
  return {
    queue,
    /** Lets the thread end its round (its work is redone after a restart otherwise), then ends it. */
    async stop(graceMs = 3_000) {
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (report: HrisThreadReport) => report.type === 'stopped' && resolve());
      });
      send({ type: 'stop' });
      await Promise.race([stopped, once(worker, 'exit'), new Promise((r) => setTimeout(r, graceMs))]);
      await worker.terminate();
    },
  };
}
