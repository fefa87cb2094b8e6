import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsDeliveryQueue } from '@tandem/webhooks/sqs-queue';
import { platformStores } from './platform-stores.ts';
import { traced } from './powertools.ts';

/** What the relay and delivery functions share: platform stores and the delivery queue. */
export async function webhookWiring(env: {
  TABLE_NAME: string;
  CURSOR_SECRET_ARN: string;
  WEBHOOK_QUEUE_URL: string;
}) {
  return {
    storesFor: await platformStores(env),
    queue: new SqsDeliveryQueue(traced(new SQSClient({})), env.WEBHOOK_QUEUE_URL),
  };
}
