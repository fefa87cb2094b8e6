import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.ts';
import { keys } from './keys.ts';
import { queryAll } from './query.ts';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** A claim this request holds: only its holder can complete or release the record. */
export interface HeldClaim {
  scope: string;
  idempotencyKey: string;
  token: string;
  /** TTL (epoch seconds) of the head; every part carries the same, so the record expires whole. */
  expiresAt: number;
}

export type IdempotencyClaim =
  | { state: 'claimed'; held: HeldClaim }
  | { state: 'completed'; fingerprint: string; response: StoredResponse }
  | { state: 'in_progress'; fingerprint: string };

/** Keys are remembered for a day, like the payment APIs clients know. */
const RETENTION_SECONDS = 24 * 3600;
/** A claim whose request died (process crash) can be taken over after this long. */
const CLAIM_TIMEOUT_MS = 60_000;
/**
 * Body bytes per item. DynamoDB caps an item at 400 KB including its key, which holds the
 * client's Idempotency-Key (up to 1 KB in UTF-8), so this leaves ample room for the rest.
 */
export const BODY_BYTES_PER_ITEM = 350_000;

/**
 * Idempotency records, scoped per tenant (or `platform` for operator calls). A request first
 * claims its key with a conditional put; the first response is stored on the claim. A body
 * that does not fit on the head is split into parts written before the head says `completed`,
 * so a reader that sees `completed` always finds them. Parts are named by the claim's token: a
 * request that took over a timed-out claim never mixes its parts with the first one's.
 */
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(
    scope: string,
    idempotencyKey: string,
    fingerprint: string,
    now: Date,
  ): Promise<IdempotencyClaim> {
    const key = keys.idempotencyHead(scope, idempotencyKey);
    const held: HeldClaim = {
      scope,
      idempotencyKey,
      token: randomUUID(),
      expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
    };
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: {
            ...key,
            entity: 'idempotency',
            state: 'in_progress',
            token: held.token,
            fingerprint,
            claimedUntil: now.getTime() + CLAIM_TIMEOUT_MS,
            expiresAt: held.expiresAt,
          },
          // TTL deletes lazily, so a record past its day is treated as gone.
          ConditionExpression:
            'attribute_not_exists(PK) OR expiresAt <= :nowSeconds OR (#state = :inProgress AND claimedUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':inProgress': 'in_progress',
            ':now': now.getTime(),
            ':nowSeconds': Math.floor(now.getTime() / 1000),
          },
        }),
      );
      return { state: 'claimed', held };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': key.PK },
      ConsistentRead: true,
    });
    const head = items.find((item) => item.SK === key.SK);
    if (!head) return this.claim(scope, idempotencyKey, fingerprint, now);
    const recorded = String(head.fingerprint);
    if (head.state !== 'completed') return { state: 'in_progress', fingerprint: recorded };
    const { status, headers, body } = head.response as Omit<StoredResponse, 'body'> & { body?: Uint8Array };
    return {
      state: 'completed',
      fingerprint: recorded,
      response: { status, headers, body: body ?? joinParts(scope, idempotencyKey, head, items) },
    };
  }

  /**
   * Stores the response on the record. If the claim timed out and another request took the key
   * over, that request's response is the one kept and this one is dropped.
   */
  async complete(held: HeldClaim, response: StoredResponse): Promise<void> {
    const { body, ...rest } = response;
    const inline = body.byteLength <= BODY_BYTES_PER_ITEM;
    const parts = inline ? 0 : await this.writeParts(held, body);
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.idempotencyHead(held.scope, held.idempotencyKey),
          UpdateExpression: 'SET #state = :completed, #response = :response, parts = :parts',
          ConditionExpression: '#token = :token AND #state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response', '#token': 'token' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':inProgress': 'in_progress',
            ':response': inline ? response : rest,
            ':parts': parts,
            ':token': held.token,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Lets the client retry after a server error: nothing was stored for it. */
  async release(held: HeldClaim): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.tableName,
          Key: keys.idempotencyHead(held.scope, held.idempotencyKey),
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': held.token },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** One put per part, in parallel: the SDK retries each with backoff, and a part is never contended. */
  private async writeParts(held: HeldClaim, body: Uint8Array): Promise<number> {
    const count = Math.ceil(body.byteLength / BODY_BYTES_PER_ITEM);
    await Promise.all(
      Array.from({ length: count }, (_, index) =>
        this.db.doc.send(
          new PutCommand({
            TableName: this.db.tableName,
            Item: {
              ...keys.idempotencyPart(held.scope, held.idempotencyKey, held.token, index),
              entity: 'idempotencyPart',
              body: body.subarray(index * BODY_BYTES_PER_ITEM, (index + 1) * BODY_BYTES_PER_ITEM),
              expiresAt: held.expiresAt,
            },
          }),
        ),
      ),
    );
    return count;
  }
}

function joinParts(
  scope: string,
  idempotencyKey: string,
  head: Record<string, unknown>,
  items: Record<string, unknown>[],
): Uint8Array {
  const bySortKey = new Map(items.map((item) => [item.SK, item.body as Uint8Array]));
  const parts = Array.from({ length: Number(head.parts) }, (_, index) =>
    bySortKey.get(keys.idempotencyPart(scope, idempotencyKey, String(head.token), index).SK),
  );
  if (parts.some((part) => part === undefined))
    throw new Error(`Idempotency record ${String(head.PK)} is missing body parts`);
  return Buffer.concat(parts as Uint8Array[]);
}
