import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CursorCodec, type Db, StreamCheckpoints, tenantStore } from '@tandem/store';
import { type DeliveryPolicy, relayEvent, TableDeliveryQueue } from '@tandem/webhooks';
import { workDueJobs } from './delivery-worker.ts';
import { runLoop } from './loop.ts';
import { StreamPoller } from './stream-poller.ts';

export interface LocalWebhooksOptions {
  client: DynamoDBClient;
  dynamoEndpoint: string;
  db: Db;
  cursorSecret: string;
  policy: DeliveryPolicy;
  pollIntervalMs?: number;
  onError: (error: unknown) => void;
}

/**
 * Outbound webhooks under `npm start`: the stream poller plays the stream-triggered relay
 * Lambda and the worker plays the SQS-triggered delivery Lambda, running the same relay and
 * delivery code. Everything they need to resume lives in the table.
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
    new StreamCheckpoints(options.db),
    async (event) => {
      await relayEvent(event, { storesFor, queue });
    },
  );
  const intervalMs = options.pollIntervalMs ?? 250;
  let loops: ReturnType<typeof runLoop>[] = [];

  return {
    queue,
    policy: options.policy,
    start() {
      loops = [
        runLoop(async () => void (await poller.pollOnce()), { intervalMs, onError: options.onError }),
        runLoop(
          async () => void (await workDueJobs(queue.store, { storesFor, queue, policy: options.policy })),
          {
            intervalMs,
            onError: options.onError,
          },
        ),
      ];
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      poller.destroy();
    },
  };
}
