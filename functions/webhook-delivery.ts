import { defaultDeliveryPolicy, isRecoveryJob, processJob, type QueueJob } from '@tandem/webhooks';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { deliveryQueueOnFirstUse } from './delivery-queue.ts';
import { deliveryObserver } from './observers.ts';
import { logger, observers } from './powertools.ts';
import { kmsSealer } from './sealer.ts';
import { deliveryWiring } from './webhook-stores.ts';

const env = readEnvironment('webhookDelivery');
const wiring = deliveryWiring(
  env,
  deliveryQueueOnFirstUse(env.WEBHOOK_QUEUE_URL),
  kmsSealer(env.SEALING_KEY_ARN),
);

/** SQS → one signed POST per job. A job that throws goes back to the queue (and, after 5 tries, to the DLQ). */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  const results = await Promise.allSettled(
    event.Records.map(async (record) => {
      const job = JSON.parse(record.body) as QueueJob;
      try {
        return await processJob(job, {
          storesFor: wiring.storesFor(job),
          queue: wiring.queue,
          policy: defaultDeliveryPolicy,
          ...(isRecoveryJob(job) ? {} : { onOutcome: deliveryObserver(job, observers) }),
        });
      } catch (error) {
        logger.error('webhook delivery job failed; SQS retries it', {
          ...(isRecoveryJob(job) ? { recoveryId: job.recoveryId } : { deliveryId: job.deliveryId }),
          tenantId: job.tenantId,
          endpointId: job.endpointId,
          error: error as Error,
        });
        throw error;
      }
    }),
  );
  return {
    batchItemFailures: results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ itemIdentifier: event.Records[i]!.messageId }] : [],
    ),
  };
}
