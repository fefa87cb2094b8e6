import { inject } from 'vitest';

/**
 * The run's DynamoDB Local for the calling worker. The run starts one per worker
 * (dynamodb-global-setup.ts): DynamoDB Local does its database work on one thread, so two workers
 * sharing one queue behind each other on it, and its one database grows with both workers' data.
 * Every file runs within one worker, so what a file writes and reads is always on the same one.
 */
export function sharedDynamoEndpoint(): string {
  const endpoints = inject('dynamoEndpoints');
  const worker = Number(process.env.VITEST_POOL_ID ?? '1');
  return endpoints[(worker - 1) % endpoints.length]!;
}
