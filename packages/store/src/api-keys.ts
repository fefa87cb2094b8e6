import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ApiKey,
  apiKey,
  ConflictError,
  type EventDraft,
  NotFoundError,
  type Scope,
  type TenantStatus,
} from '@tandem/core';
import { type Db, toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** What the authorizer learns from a key's hash, in one strongly consistent read. */
export interface ResolvedKey {
  tenantId: string;
  keyId: string;
  scopes: Scope[];
  status: ApiKey['status'];
  expiresAt?: string | undefined;
  tenantStatus: TenantStatus;
}

/** Days a revoked or expired key's lookup item is kept before TTL removes it. */
const LOOKUP_GRACE_DAYS = 7;

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The ops that store a new key: its tenant-side record and the global hash → tenant lookup. */
export function apiKeyCreateOps(tenantId: string, key: ApiKey, secretHash: string): WriteOp[] {
  return [
    {
      item: {
        Put: {
          TableName: '',
          Item: { ...keys.apiKey(tenantId, key.id), entity: 'apiKey', _secretHash: secretHash, ...key },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
    {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.apiKeyLookup(secretHash),
            entity: 'apiKeyLookup',
            tenantId,
            keyId: key.id,
            scopes: key.scopes,
            status: key.status,
            ...(key.expiresAt
              ? { keyExpiresAt: key.expiresAt, expiresAt: epoch(key.expiresAt) + LOOKUP_GRACE_DAYS * 86_400 }
              : {}),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ];
}

/** Reads the global lookup item of a key hash; used only by the authorizer. */
export async function resolveApiKey(db: Db, secretHash: string): Promise<ResolvedKey | undefined> {
  const { Item: lookup } = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.apiKeyLookup(secretHash), ConsistentRead: true }),
  );
  if (!lookup) return undefined;
  const tenantId = lookup.tenantId as string;
  const { Item: tenant } = await db.doc.send(
    new GetCommand({
      TableName: db.tableName,
      Key: keys.tenant(tenantId),
      ProjectionExpression: '#status',
      ExpressionAttributeNames: { '#status': 'status' },
    }),
  );
  if (!tenant) return undefined;
  return {
    tenantId,
    keyId: lookup.keyId as string,
    scopes: lookup.scopes as Scope[],
    status: lookup.status as ApiKey['status'],
    expiresAt: lookup.keyExpiresAt as string | undefined,
    tenantStatus: tenant.status as TenantStatus,
  };
}

export class ApiKeysRepository extends TenantRepository {
  async create(key: ApiKey, secretHash: string, event: EventDraft): Promise<void> {
    await this.write(apiKeyCreateOps(this.tenantId, key, secretHash), event);
  }

  private async getWithHash(id: string): Promise<{ key: ApiKey; secretHash: string }> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.apiKey(this.tenantId, id) }),
    );
    if (!Item) throw new NotFoundError(`No API key ${id}`);
    return { key: toEntity(Item, apiKey), secretHash: Item._secretHash as string };
  }

  async get(id: string): Promise<ApiKey> {
    return (await this.getWithHash(id)).key;
  }

  async list(page: PageRequest): Promise<Page<ApiKey>> {
    return queryPage<ApiKey>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.apiKey(this.tenantId, '').PK,
          ':prefix': collections.apiKeys,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|api-keys`,
      apiKey,
    );
  }

  /** Revokes the key and its lookup together, so the authorizer stops accepting it at once. */
  async revoke(id: string, now: string, event: EventDraft): Promise<ApiKey> {
    const { key, secretHash } = await this.getWithHash(id);
    if (key.status === 'revoked') return key;
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.apiKey(this.tenantId, id),
              UpdateExpression: 'SET #status = :revoked, revokedAt = :now',
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':now': now },
            },
          },
          onConditionFailed: () => new ConflictError(`API key ${id} was revoked concurrently`),
        },
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.apiKeyLookup(secretHash),
              UpdateExpression: 'SET #status = :revoked, expiresAt = :ttl',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':revoked': 'revoked',
                ':ttl': epoch(now) + LOOKUP_GRACE_DAYS * 86_400,
              },
            },
          },
        },
      ],
      event,
    );
    return { ...key, status: 'revoked', revokedAt: now };
  }

  /**
   * Issues `next` and lets the old key live until `oldExpiresAt` (the overlap window), in one
   * transaction. A key is rotated once: the condition on `rotatedTo` stops a double rotation.
   */
  async rotate(
    id: string,
    next: ApiKey,
    nextSecretHash: string,
    oldExpiresAt: string,
    event: EventDraft,
  ): Promise<ApiKey> {
    const { key, secretHash } = await this.getWithHash(id);
    const expiresAt = key.expiresAt && key.expiresAt < oldExpiresAt ? key.expiresAt : oldExpiresAt;
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.apiKey(this.tenantId, id),
              UpdateExpression: 'SET expiresAt = :expiresAt, rotatedTo = :next',
              ConditionExpression: '#status = :active AND attribute_not_exists(rotatedTo)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':expiresAt': expiresAt, ':next': next.id, ':active': 'active' },
            },
          },
          onConditionFailed: () => new ConflictError(`API key ${id} is revoked or was already rotated`),
        },
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.apiKeyLookup(secretHash),
              UpdateExpression: 'SET keyExpiresAt = :expiresAt, expiresAt = :ttl',
              ExpressionAttributeValues: {
                ':expiresAt': expiresAt,
                ':ttl': epoch(expiresAt) + LOOKUP_GRACE_DAYS * 86_400,
              },
            },
          },
        },
        ...apiKeyCreateOps(this.tenantId, next, nextSecretHash),
      ],
      event,
    );
    return next;
  }
}
