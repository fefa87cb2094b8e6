import type { DeliveryQueue } from '@tandem/webhooks';
import { lazy } from './lazy.ts';
import { traced } from './powertools.ts';

/**
 * The SQS delivery queue, its client loaded by the first job queued (a dynamic import, so a chunk
 * of its own that a cold start does not read): the API queues only test pings, redeliveries and
 * recoveries, and the delivery function only retries, so most of their invocations never queue.
 */
export function deliveryQueueOnFirstUse(queueUrl: string): DeliveryQueue {
  const queue = lazy(async () => {
    const [{ SQSClient }, { SqsDeliveryQueue }] = await Promise.all([
      import('@aws-sdk/client-sqs'),
      import('@tandem/webhooks/sqs-queue'),
    ]);
    return new SqsDeliveryQueue(traced(new SQSClient({})), queueUrl);
  });
  return { enqueue: async (job) => (await queue()).enqueue(job) };
}
