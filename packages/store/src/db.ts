import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A document client bound to the table. In AWS the client may carry tenant-scoped credentials. */
export interface Db {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

const keyAttributes = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entity']);

/**
 * Storage-only attributes are the keys, the `entity` tag, anything starting with `_`, and the
 * TTL attribute `expiresAt` when it holds epoch seconds. (An entity field called `expiresAt`,
 * like an API key's, holds an ISO string, which DynamoDB's TTL ignores.)
 */
export function toEntity<T>(item: Record<string, unknown>): T {
  const entity: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (keyAttributes.has(name) || name.startsWith('_')) continue;
    if (name === 'expiresAt' && typeof value === 'number') continue;
    entity[name] = value;
  }
  return entity as T;
}
