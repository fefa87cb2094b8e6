import { defaultDeliveryPolicy, processJob, type QueueJob } from '@tandem/webhooks';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { webhookWiring } from './webhook-stores.ts';

const wiring = await webhookWiring(readEnvironment('webhookDelivery'));

/** SQS → one signed POST per job. A job that throws goes back to the queue (and, after 5 tries, to the DLQ). */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const results = await Promise.allSettled(
    event.Records.map((record) =>
      processJob(JSON.parse(record.body) as QueueJob, { ...wiring, policy: defaultDeliveryPolicy }),
    ),
  );
  return {
    batchItemFailures: results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ itemIdentifier: event.Records[i]!.messageId }] : [],
    ),
  };
}
