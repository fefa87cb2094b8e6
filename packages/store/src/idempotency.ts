import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.ts';
import { keys } from './keys.ts';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'completed'; fingerprint: string; response: StoredResponse }
  | { state: 'in_progress'; fingerprint: string };

/** Keys are remembered for a day, like the payment APIs clients know. */
const RETENTION_SECONDS = 24 * 3600;
/** A claim whose request died (process crash) can be taken over after this long. */
const CLAIM_TIMEOUT_MS = 60_000;

/**
 * Idempotency records, scoped per tenant (or `platform` for operator calls). A request first
 * claims its key with a conditional put; the first response is stored on the claim.
 */
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(
    scope: string,
    idempotencyKey: string,
    fingerprint: string,
    now: Date,
  ): Promise<IdempotencyClaim> {
    const key = keys.idempotency(scope, idempotencyKey);
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: {
            ...key,
            entity: 'idempotency',
            state: 'in_progress',
            fingerprint,
            claimedUntil: now.getTime() + CLAIM_TIMEOUT_MS,
            expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :inProgress AND claimedUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': now.getTime() },
        }),
      );
      return { state: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: key, ConsistentRead: true }),
    );
    if (!Item) return this.claim(scope, idempotencyKey, fingerprint, now);
    if (Item.state === 'completed')
      return { state: 'completed', fingerprint: Item.fingerprint, response: Item.response as StoredResponse };
    return { state: 'in_progress', fingerprint: Item.fingerprint };
  }

  async complete(scope: string, idempotencyKey: string, response: StoredResponse): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: keys.idempotency(scope, idempotencyKey),
        UpdateExpression: 'SET #state = :completed, #response = :response',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
      }),
    );
  }

  /** Lets the client retry after a server error: nothing was stored for it. */
  async release(scope: string, idempotencyKey: string): Promise<void> {
    await this.db.doc.send(
      new DeleteCommand({ TableName: this.db.tableName, Key: keys.idempotency(scope, idempotencyKey) }),
    );
  }
}
