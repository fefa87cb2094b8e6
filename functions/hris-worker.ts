import { applyHrisJobs, type HrisJob } from '@tandem/app';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { platformStores } from './platform-stores.ts';
import { logger } from './powertools.ts';
import { kmsSealer } from './sealer.ts';

const env = readEnvironment('hrisWorker');
const storesFor = await platformStores(env, kmsSealer(env.SEALING_KEY_ARN));
const contextOf = (tenantId: string) => ({ tenantId, store: storesFor(tenantId), clock: () => new Date() });

/**
 * SQS FIFO → HRIS changes applied in order per employee. A failed change, and the changes of the
 * same employee after it, go back to the queue (after 5 tries, to the DLQ).
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  const jobs = event.Records.map((record) => JSON.parse(record.body) as HrisJob);
  const failed = await applyHrisJobs(contextOf, jobs, (error, job) =>
    logger.error('applying an HRIS change failed; SQS retries it', {
      tenantId: job.tenantId,
      connectionId: job.connectionId,
      eventType: job.eventType,
      error: error as Error,
    }),
  );
  return { batchItemFailures: failed.map((index) => ({ itemIdentifier: event.Records[index]!.messageId })) };
}
