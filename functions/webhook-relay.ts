import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredEvent } from '@tandem/core';
import { relayEvent } from '@tandem/webhooks';
import { SqsDeliveryQueue } from '@tandem/webhooks/sqs-queue';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { logger, traced } from './powertools.ts';
import { relayWiring } from './webhook-stores.ts';

const env = readEnvironment('webhookRelay');
// Made at init: every relayed event with a subscribed endpoint queues a job.
const wiring = relayWiring(env, new SqsDeliveryQueue(traced(new SQSClient({})), env.WEBHOOK_QUEUE_URL));

/**
 * DynamoDB stream → relay. The event source mapping only passes inserted outbox items. Records
 * are handled in order; on a failure the rest of the batch is retried from that record on.
 */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    if (record.eventName !== 'INSERT' || !image) continue;
    let ids = {};
    try {
      const stored = unmarshall(image) as StoredEvent;
      ids = { eventId: stored.id, eventType: stored.type, tenantId: stored.tenantId };
      const deliveries = await relayEvent(stored, wiring);
      logger.info('event relayed', { ...ids, deliveries });
    } catch (error) {
      logger.error('relay failed; the batch is retried from this record', {
        ...ids,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        error: error as Error,
      });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
