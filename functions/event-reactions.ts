import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { reactToEvents } from '@tandem/app';
import type { StoredEvent } from '@tandem/core';
import { noSecrets } from '@tandem/store';
import { SfnRecognitionStarter } from '@tandem/workflows/recognition-sfn-starter';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { platformAccess } from './platform-stores.ts';
import { logger, traced } from './powertools.ts';

const env = readEnvironment('eventReactions');
// Reactions read and write no secret.
const access = await platformAccess(env, noSecrets);
const clock = () => new Date();
const recognition = {
  starter: new SfnRecognitionStarter(traced(new SFNClient({})), env.RECOGNITION_STATE_MACHINE_ARN),
};

/**
 * DynamoDB stream → reactions (analytics, milestone rules, recognition), beside the webhook relay
 * on the same stream. The event source mapping passes only inserted outbox items. A failing
 * record fails the batch from that record on; the stream retries it and the reactions that
 * already succeeded find their work done.
 */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    if (record.eventName !== 'INSERT' || !image) continue;
    const stored = unmarshall(image) as StoredEvent;
    try {
      await reactToEvents(
        {
          contextFor: (tenantId) => ({
            tenantId,
            clock,
            store: access.storesFor(tenantId, clock),
            recognition,
          }),
        },
        [stored],
      );
    } catch (error) {
      logger.error('reacting to an event failed; the batch is retried from this record', {
        eventId: stored.id,
        eventType: stored.type,
        tenantId: stored.tenantId,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        error: error as Error,
      });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
