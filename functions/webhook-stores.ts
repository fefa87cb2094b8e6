import { SQSClient } from '@aws-sdk/client-sqs';
import { webhookStore } from '@tandem/store';
import { SqsDeliveryQueue } from '@tandem/webhooks/sqs-queue';
import { platformTable } from './platform-stores.ts';
import { traced } from './powertools.ts';

/**
 * What the relay and delivery functions share: each tenant's webhook repositories (only those,
 * which keeps the other repositories out of their bundles) and the delivery queue.
 */
export async function webhookWiring(env: {
  TABLE_NAME: string;
  CURSOR_SECRET_ARN: string;
  WEBHOOK_QUEUE_URL: string;
}) {
  const { db, cursors } = await platformTable(env);
  return {
    storesFor: (tenantId: string) => webhookStore(db, tenantId, cursors),
    queue: new SqsDeliveryQueue(traced(new SQSClient({})), env.WEBHOOK_QUEUE_URL),
  };
}
