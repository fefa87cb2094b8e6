import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CursorCodec, type Db, tenantStore } from '@tandem/store';
import { type DeliveryPolicy, relayEvents } from '@tandem/webhooks';
import { workDueJobs } from './delivery-worker.ts';
import { runLoop } from './loop.ts';
import { StreamCheckpoints } from './stream-checkpoints.ts';
import { StreamPoller } from './stream-poller.ts';
import { TableDeliveryQueue } from './table-delivery-queue.ts';

export interface LocalWebhooksOptions {
  client: DynamoDBClient;
  dynamoEndpoint: string;
  db: Db;
  cursorSecret: string;
  policy: DeliveryPolicy;
  /** Where the stream positions are kept across restarts; without it they live in memory. */
  checkpointFile?: string;
  pollIntervalMs?: number;
  onError: (error: unknown) => void;
}

/** Jobs leased per round; a full round is followed by another at once, so a burst drains without pauses. */
const WORKER_BATCH = 25;

/**
 * Outbound webhooks under `npm start`: the stream poller plays the stream-triggered relay
 * Lambda and the worker plays the SQS-triggered delivery Lambda, running the same relay and
 * delivery code. The queue lives in the table and the stream positions in the data folder,
 * so both resume after a restart.
 */
export function createLocalWebhooks(options: LocalWebhooksOptions) {
  const queue = new TableDeliveryQueue(options.db);
  const cursors = new CursorCodec(options.cursorSecret);
  const storesFor = (tenantId: string) =>
    tenantStore({ tenant: options.db, platform: options.db }, tenantId, cursors);
  const poller = new StreamPoller(
    options.client,
    options.dynamoEndpoint,
    options.db.tableName,
    new StreamCheckpoints(options.checkpointFile),
    async (events) => {
      await relayEvents(events, { storesFor, queue });
    },
  );
  const intervalMs = options.pollIntervalMs ?? 250;
  let worker: ReturnType<typeof runLoop> | undefined;
  let relay: ReturnType<typeof runLoop> | undefined;

  return {
    queue,
    policy: options.policy,
    start() {
      worker = runLoop(
        async () => {
          const deps = { storesFor, queue, policy: options.policy };
          while ((await workDueJobs(queue.store, deps, WORKER_BATCH)) === WORKER_BATCH);
        },
        { intervalMs, onError: options.onError },
      );
      relay = runLoop(
        async () => {
          // Fresh jobs are due now: the worker need not sleep out its interval to see them.
          if ((await poller.pollOnce()) > 0) worker?.wake();
        },
        { intervalMs, onError: options.onError },
      );
    },
    async stop() {
      await Promise.all([relay?.stop(), worker?.stop()]);
      poller.destroy();
    },
  };
}
