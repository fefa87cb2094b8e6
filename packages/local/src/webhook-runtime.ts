import { CursorCodec, type CursorSecrets, type Db, type SecretSealer, webhookStore } from '@tandem/store';
import { type DeliveryPolicy, relayEvents } from '@tandem/webhooks';
import { FirstAttempts, workDueJobs } from './delivery-worker.ts';
import { runLoop } from './loop.ts';
import { StreamCheckpoints } from './stream-checkpoints.ts';
import { StreamPoller } from './stream-poller.ts';
import { TableDeliveryQueue } from './table-delivery-queue.ts';

export interface LocalWebhooksOptions {
  dynamoEndpoint: string;
  db: Db;
  cursorSecret: CursorSecrets;
  /** Opens the endpoints' signing secrets. */
  sealer: SecretSealer;
  policy: DeliveryPolicy;
  /** Where the stream positions are kept across restarts; without it they live in memory. */
  checkpointFile?: string;
  pollIntervalMs?: number;
  onError: (error: unknown) => void;
}

/** Jobs leased per round; a full round is followed by another at once, so a burst drains without pauses. */
const WORKER_BATCH = 25;
/**
 * First attempts in flight at once. A burst's events come from many API clients at the same
 * time, and an attempt spends most of its time waiting on the table or the receiver: the
 * attempts have to outnumber those clients to keep up with them.
 */
const FIRST_ATTEMPTS = 32;

/**
 * Outbound webhooks under `npm start`: the stream poller plays the stream-triggered relay
 * Lambda and the worker plays the SQS-triggered delivery Lambda, running the same relay and
 * delivery code. The queue lives in the table and the stream positions in the data folder,
 * so both resume after a restart.
 *
 * Unlike in AWS, the relay and the worker share a process, so the relay hands each new delivery
 * to the worker directly, created claimed, instead of through the queue: a first attempt costs
 * two writes (the delivery, then its outcome) rather than six, and waits for no queue poll. The
 * stream position stands in for the queue entry: it moves past an event only once the event's
 * first attempts ended or their jobs were queued, so an attempt cut short by a crash is relayed
 * again on restart, finds its delivery, and is queued.
 */
export function createLocalWebhooks(options: LocalWebhooksOptions) {
  const queue = new TableDeliveryQueue(options.db);
  const cursors = new CursorCodec(options.cursorSecret);
  const storesFor = (tenantId: string) => webhookStore(options.db, tenantId, cursors, options.sealer);
  const intervalMs = options.pollIntervalMs ?? 250;
  let firstAttempts: FirstAttempts | undefined;
  let worker: ReturnType<typeof runLoop> | undefined;
  let relay: ReturnType<typeof runLoop> | undefined;
  let poller: StreamPoller | undefined;

  return {
    queue,
    policy: options.policy,
    start() {
      const deps = { storesFor, queue, policy: options.policy };
      const attempts = new FirstAttempts(deps, FIRST_ATTEMPTS);
      firstAttempts = attempts;
      const reader = new StreamPoller(
        options.dynamoEndpoint,
        options.db.tableName,
        new StreamCheckpoints(options.checkpointFile),
        async (events) => {
          await relayEvents(events, {
            storesFor,
            queue,
            attemptNew: { leaseMs: options.policy.leaseMs, run: (...args) => attempts.attempt(...args) },
          });
        },
      );
      poller = reader;
      worker = runLoop(
        async () => {
          while ((await workDueJobs(queue.store, deps, WORKER_BATCH)) === WORKER_BATCH);
        },
        { intervalMs, onError: options.onError },
      );
      relay = runLoop(
        async () => {
          await reader.pollOnce();
        },
        { intervalMs, onError: options.onError },
      );
    },
    async stop() {
      firstAttempts?.stop();
      await Promise.all([relay?.stop(), worker?.stop()]);
      poller?.destroy();
    },
  };
}
