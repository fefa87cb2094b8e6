import { SQSClient } from '@aws-sdk/client-sqs';
import { CursorCodec, createDocumentClient, createDynamoClient, tenantStore } from '@tandem/store';
import { SqsDeliveryQueue } from '@tandem/webhooks';
import { readSecret } from './config.ts';

/**
 * What the relay and delivery functions share: platform table access (they work for every
 * tenant, driven by the stream and the queue, never by a tenant's request) and the SQS queue.
 */
export async function webhookWiring(env: {
  TABLE_NAME: string;
  CURSOR_SECRET_ARN: string;
  WEBHOOK_QUEUE_URL: string;
}) {
  const db = { doc: createDocumentClient(createDynamoClient()), tableName: env.TABLE_NAME };
  const cursors = new CursorCodec(await readSecret(env.CURSOR_SECRET_ARN));
  return {
    storesFor: (tenantId: string) => tenantStore({ tenant: db, platform: db }, tenantId, cursors),
    queue: new SqsDeliveryQueue(new SQSClient({}), env.WEBHOOK_QUEUE_URL),
  };
}
