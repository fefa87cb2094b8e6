import { applyHrisJobs, type HrisJob, type HrisQueue, hrisJobGroup, type UrlPolicy } from '@tandem/app';
import { CursorCodec, type CursorSecrets, type Db, tenantStore } from '@tandem/store';
import { LocalQueueStore } from './local-queue.ts';
import { runLoop } from './loop.ts';

const LEASE_MS = 60_000;
let sequence = 0;

/** The local stand-in for SQS FIFO: jobs wait in the table, in arrival order per employee. */
export class TableHrisQueue implements HrisQueue {
  readonly store: LocalQueueStore<HrisJob>;
  /** Called after jobs were queued, so a running worker takes them at once. */
  onSend: (() => void) | undefined;

  /** `name` keeps a queue apart from others on the same table (tests run several side by side). */
  constructor(db: Db, name = 'HRIS_QUEUE') {
    this.store = new LocalQueueStore<HrisJob>(db, name);
  }

  async send(jobs: HrisJob[]): Promise<void> {
    const now = new Date();
    // Sort keys are `<due>#<group>#<sequence>`: one employee's jobs of the same instant keep their order.
    for (const job of jobs)
      await this.store.put(`${hrisJobGroup(job)}#${String(++sequence).padStart(12, '0')}`, job, now);
    this.onSend?.();
  }
}

export interface LocalHrisOptions {
  db: Db;
  cursorSecret: CursorSecrets;
  queueName?: string;
  now?: () => Date;
  /** Which HR system API URLs thin webhooks' fetches may call (loopback over http locally and in tests). */
  urlPolicy?: UrlPolicy;
  onError?: (error: unknown) => void;
}

/**
 * The HRIS worker of `npm start` (the worker Lambda's role): leases due jobs, applies them in
 * order per employee, and deletes them; a failed job keeps its lease and comes back after it.
 */
export function createLocalHris(options: LocalHrisOptions) {
  const queue = new TableHrisQueue(options.db, options.queueName);
  const cursors = new CursorCodec(options.cursorSecret);
  const clock = options.now ?? (() => new Date());
  const contextOf = (tenantId: string) => ({
    tenantId,
    clock,
    store: tenantStore({ tenant: options.db, platform: options.db }, tenantId, cursors, clock),
    ...(options.urlPolicy ? { hrisApi: { urlPolicy: options.urlPolicy } } : {}),
  });

  /**
   * Works off one batch; returns how many jobs it leased. At most 10, as SQS FIFO hands the
   * worker Lambda at most 10: a larger batch would queue dozens of transactions at once in front
   * of DynamoDB Local's one writer thread, and the acknowledgements of new deliveries behind them.
   */
  async function workBatch(max = 10): Promise<number> {
    const entries = await queue.store.leaseDue(new Date(), max, LEASE_MS);
    const failed = new Set(
      await applyHrisJobs(
        contextOf,
        entries.map((entry) => entry.body),
        (error) => options.onError?.(error),
      ),
    );
    await Promise.all(
      entries.filter((_, index) => !failed.has(index)).map((entry) => queue.store.done(entry)),
    );
    return entries.length;
  }

  let loop: ReturnType<typeof runLoop> | undefined;
  return {
    queue,
    workBatch,
    /** Works until the queue holds nothing due (tests and benchmarks). */
    async drain(): Promise<void> {
      while ((await workBatch()) > 0);
    },
    start() {
      loop = runLoop(
        async () => {
          while ((await workBatch()) > 0);
        },
        { intervalMs: 1_000, onError: options.onError ?? (() => {}) },
      );
      queue.onSend = () => loop?.wake();
    },
    async stop() {
      await loop?.stop();
    },
  };
}
