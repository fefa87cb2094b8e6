import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.ts';
import { type Key, keyId } from './keys.ts';

/** DynamoDB's limits per call. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
const MAX_ROUNDS = 12;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

/**
 * Unprocessed items mean the table is throttling this partition: wait before resending, with
 * exponential backoff and full jitter, as the SDK does for its own retries.
 */
const backoff = (round: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2000, 25 * 2 ** round)));

/**
 * Reads every key (any order, each item once), resending unprocessed keys with backoff; an error
 * is thrown, never swallowed. `projection` names the top-level attributes to read, when not all of
 * them. A key asked twice is read once: DynamoDB refuses a whole request that lists a key twice,
 * and callers gather keys from lists that may repeat one (two due timers of one relationship).
 */
export async function batchGetAll(
  db: Db,
  keys: Key[],
  consistent = false,
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const distinct = [...new Map(keys.map((key) => [keyId(key), key])).values()];
  for (let i = 0; i < distinct.length; i += GET_BATCH) {
    let pending: Key[] = distinct.slice(i, i + GET_BATCH);
    for (let round = 0; pending.length; round++) {
      if (round > 0) await backoff(round);
      if (round >= MAX_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      const result = await db.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [db.tableName]: {
              Keys: pending,
              ConsistentRead: consistent,
              ...(projection ? { ProjectionExpression: projection } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[db.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[db.tableName]?.Keys ?? []) as Key[];
    }
  }
  return found;
}

/** Writes every request, resending unprocessed ones with backoff. Not atomic: for idempotent writes only. */
export async function batchWriteAll(db: Db, requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += WRITE_BATCH) {
    let pending = requests.slice(i, i + WRITE_BATCH);
    for (let round = 0; pending.length; round++) {
      if (round > 0) await backoff(round);
      if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem left ${pending.length} writes unprocessed`);
      const { UnprocessedItems } = await db.doc.send(
        new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }),
      );
      pending = (UnprocessedItems?.[db.tableName] ?? []) as WriteRequest[];
    }
  }
}
