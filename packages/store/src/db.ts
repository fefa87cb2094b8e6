import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';

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
export function toEntity<T>(item: Record<string, unknown>, schema?: z.ZodType<T>): T {
  const entity: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (keyAttributes.has(name) || name.startsWith('_')) continue;
    if (name === 'expiresAt' && typeof value === 'number') continue;
    entity[name] = value;
  }
  // Parsing puts fields in schema order (stable JSON) and fills defaults added after the item was written.
  return schema ? schema.parse(entity) : (entity as T);
}
