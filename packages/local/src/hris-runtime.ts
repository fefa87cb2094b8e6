import { applyHrisJobs, type HrisJob, type HrisQueue, type HrisReceipt, type UrlPolicy } from '@tandem/app';
import type { EmployeeChange } from '@tandem/core';
import { CursorCodec, type CursorSecrets, type Db, type SecretSealer } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { LocalQueueStore } from './local-queue.ts';
import { runLoop } from './loop.ts';

const LEASE_MS = 60_000;
let sequence = 0;

/**
 * One delivery's jobs as one queue entry: what they share once, then each employee's change, so an
 * entry stays far below an item's 400 KB for any body the route takes.
 */
interface HrisQueueEntry {
  shared: Omit<HrisJob, 'change'>;
  changes: EmployeeChange[];
}

const jobsOf = (entry: HrisQueueEntry): HrisJob[] =>
  entry.changes.map((change) => ({ ...entry.shared, change }));

function entriesOf(jobs: HrisJob[]): HrisQueueEntry[] {
  const entries = new Map<string, HrisQueueEntry>();
  for (const { change, ...shared } of jobs) {
    const key = JSON.stringify(shared);
    const entry = entries.get(key) ?? entries.set(key, { shared, changes: [] }).get(key)!;
    entry.changes.push(change);
  }
  return [...entries.values()];
}

/**
 * The local stand-in for SQS FIFO: a delivery's jobs wait in the table as one entry, written in the
 * transaction that claims the delivery's receipt, so acknowledging costs one write; entries are
 * taken in arrival order, and within an entry each employee's changes in their order.
 */
export class TableHrisQueue implements HrisQueue {
  readonly store: LocalQueueStore<HrisQueueEntry>;
  /** Called after jobs were queued, so a running worker takes them at once. */
  onSend: (() => void) | undefined;

  /** `name` keeps a queue apart from others on the same table (tests run several side by side). */
  constructor(db: Db, name = 'HRIS_QUEUE') {
    this.store = new LocalQueueStore<HrisQueueEntry>(db, name);
  }

  async enqueue(jobs: HrisJob[], receipt: HrisReceipt): Promise<boolean> {
    const now = new Date();
    // Sort keys are `<due>#<connection>#<sequence>`: deliveries of the same instant keep their order.
    const ops = entriesOf(jobs).map((entry) =>
      this.store.putOp(`${entry.shared.connectionId}#${String(++sequence).padStart(12, '0')}`, entry, now),
    );
    const fresh = await receipt.claim(ops);
    if (fresh) this.onSend?.();
    return fresh;
  }
}

export interface LocalHrisOptions {
  /** Seals and opens the secrets the store keeps (see SecretSealer). */
  sealer: SecretSealer;
  db: Db;
  cursorSecret: CursorSecrets;
  queueName?: string;
  now?: () => Date;
  /** Which HR system API URLs thin webhooks' fetches may call (loopback over http locally and in tests). */
  urlPolicy?: UrlPolicy;
  onError?: (error: unknown) => void;
}

/**
 * The HRIS worker of `npm start` (the worker Lambda's role): leases due entries in its memory
 * (`takeDue`: the process is the queue's one consumer), applies their jobs in order per employee,
 * and deletes them; an entry with a failed job keeps its lease and comes back after it, whole (its
 * other jobs then find nothing changed).
 */
export function createLocalHris(options: LocalHrisOptions) {
  const queue = new TableHrisQueue(options.db, options.queueName);
  const cursors = new CursorCodec(options.cursorSecret);
  const clock = options.now ?? (() => new Date());
  const contextOf = (tenantId: string) => ({
    tenantId,
    clock,
    store: tenantStore(
      { tenant: options.db, platform: options.db, sealer: options.sealer },
      tenantId,
      cursors,
      clock,
    ),
    ...(options.urlPolicy ? { hrisApi: { urlPolicy: options.urlPolicy } } : {}),
  });

  /**
   * Works off one batch of at most 10 deliveries (SQS FIFO hands the worker Lambda at most 10
   * messages); returns how many entries it leased.
   */
  async function workBatch(max = 10): Promise<number> {
    const entries = await queue.store.takeDue(new Date(), max, LEASE_MS);
    const jobs = entries.flatMap((entry, index) => jobsOf(entry.body).map((job) => ({ job, index })));
    const failed = await applyHrisJobs(
      contextOf,
      jobs.map(({ job }) => job),
      (error) => options.onError?.(error),
    );
    const kept = new Set(failed.map((position) => jobs[position]!.index));
    await queue.store.doneAll(entries.filter((_, index) => !kept.has(index)));
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
