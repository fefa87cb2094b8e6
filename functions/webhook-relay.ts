import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredEvent } from '@tandem/core';
import { relayEvent } from '@tandem/webhooks';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { webhookWiring } from './webhook-stores.ts';

const wiring = await webhookWiring(readEnvironment('webhookRelay'));

/**
 * DynamoDB stream → relay. The event source mapping only passes inserted outbox items. Records
 * are handled in order; on a failure the rest of the batch is retried from that record on.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    try {
      const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
      if (record.eventName === 'INSERT' && image) await relayEvent(unmarshall(image) as StoredEvent, wiring);
    } catch (error) {
      console.error('relay failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
