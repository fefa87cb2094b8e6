import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  NotFoundError,
  normalizeEmail,
  PreconditionFailedError,
  SCIM_SYSTEM,
  type ScimGroupRecord,
  type ScimToken,
  type ScimUserRecord,
  scimToken,
  type TenantStatus,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { type Db, toEntity } from './db.ts';
import { ExpiringMap } from './expiring-map.ts';
import { collections, keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** One page of a SCIM list: RFC 7644 pages by 1-based index and reports the total. */
export interface IndexedPage<T> {
  totalResults: number;
  items: T[];
}

const lower = (value: string) => value.toLowerCase();

const userNameTaken = (userName: string) =>
  new ConflictError(`Another user of this organization already has the userName ${userName}`, [
    { field: '/userName', message: 'already used' },
  ]);

const groupNameTaken = (displayName: string) =>
  new ConflictError(`Another group of this organization is already called ${displayName}`, [
    { field: '/displayName', message: 'already used' },
  ]);

/** How long a sequential listing's next position is kept: a sync pages on within seconds. */
const POSITION_MS = 60_000;

/**
 * Where the next page of a listing starts (collection and 1-based index → the key of the item
 * before it) and the total the listing began with. Identity providers page SCIM lists from the
 * start in order, so each page's end is the next page's start.
 */
const positions = new ExpiringMap<{
  collection: string;
  after: Record<string, unknown>;
  totalResults: number;
}>(1_000);

/** A write to a collection in this process: its kept positions and totals no longer hold. */
const forgetPositions = (collection: string) => positions.deleteWhere((p) => p.collection === collection);

/**
 * One slice of a collection by position, with the collection's total. DynamoDB has no offsets:
 * the first page of a listing counts the collection and reads past the items before the slice;
 * the page after it, asked for within a minute, starts at the key where that page ended and
 * reports the same total, so a sync of n users reads each once instead of every page reading
 * them all. Positions are kept per process; a page without one reads from the start.
 */
async function indexedQuery(
  db: Db,
  input: Omit<QueryCommandInput, 'TableName'>,
  collection: string,
  startIndex: number,
  count: number,
): Promise<IndexedPage<Record<string, unknown>>> {
  const kept = positions.get(`${collection}|${startIndex}`, Date.now());
  let totalResults = kept?.totalResults ?? 0;
  let start: Record<string, unknown> | undefined = kept?.after;
  if (!kept)
    do {
      const result: QueryCommandOutput = await db.doc.send(
        new QueryCommand({ ...input, TableName: db.tableName, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      totalResults += result.Count ?? 0;
      start = result.LastEvaluatedKey;
    } while (start);
  const items: Record<string, unknown>[] = [];
  let skip = kept ? 0 : startIndex - 1;
  if (count === 0 || startIndex - 1 >= totalResults) return { totalResults, items };
  do {
    const result: QueryCommandOutput = await db.doc.send(
      new QueryCommand({ ...input, TableName: db.tableName, ExclusiveStartKey: start, Limit: skip + count }),
    );
    const page = result.Items ?? [];
    const skipped = Math.min(skip, page.length);
    skip -= skipped;
    items.push(...page.slice(skipped, skipped + count - items.length));
    start = result.LastEvaluatedKey;
  } while (start && items.length < count);
  const last = items.at(-1);
  if (last && items.length === count && startIndex - 1 + count < totalResults)
    positions.set(
      `${collection}|${startIndex + count}`,
      { collection, after: { PK: last.PK, SK: last.SK }, totalResults },
      Date.now() + POSITION_MS,
    );
  return { totalResults, items };
}

/** What the identity provider sent for each provisioned person, and its groups. No rules here. */
export class ScimRepository extends TenantRepository {
  private async personIdAt(key: ReturnType<typeof keys.scimUserName>): Promise<string | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: key, ConsistentRead: true }),
    );
    return Item?.personId as string | undefined;
  }

  /** `userName eq` matches regardless of case (RFC 7643: userName is caseExact=false). */
  personIdByUserName(userName: string) {
    return this.personIdAt(keys.scimUserName(this.tenantId, lower(userName)));
  }

  personIdByExternalId(externalId: string) {
    return this.personIdAt(keys.personExternalId(this.tenantId, SCIM_SYSTEM, externalId));
  }

  personIdByEmail(email: string) {
    return this.personIdAt(keys.personEmail(this.tenantId, normalizeEmail(email)));
  }

  async findUser(personId: string): Promise<ScimUserRecord | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.scimUser(this.tenantId, personId) }),
    );
    return Item ? toEntity<ScimUserRecord>(Item) : undefined;
  }

  async getUser(personId: string): Promise<ScimUserRecord> {
    const found = await this.findUser(personId);
    if (!found) throw new NotFoundError(`No SCIM user ${personId}`);
    return found;
  }

  async getUsers(personIds: string[]): Promise<ScimUserRecord[]> {
    const items = await batchGetAll(
      this.db,
      [...new Set(personIds)].map((id) => keys.scimUser(this.tenantId, id)),
    );
    return items
      .map((item) => toEntity<ScimUserRecord>(item))
      .sort((a, b) => a.personId.localeCompare(b.personId));
  }

  private get users() {
    return `${keys.scimUser(this.tenantId, '').PK}|${collections.scimUsers}`;
  }

  private get groups() {
    return `${keys.scimGroup(this.tenantId, '').PK}|${collections.scimGroups}`;
  }

  async listUsers(startIndex: number, count: number): Promise<IndexedPage<ScimUserRecord>> {
    const page = await indexedQuery(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.scimUser(this.tenantId, '').PK,
          ':prefix': collections.scimUsers,
        },
      },
      this.users,
      startIndex,
      count,
    );
    return {
      totalResults: page.totalResults,
      items: page.items.map((item) => toEntity<ScimUserRecord>(item)),
    };
  }

  /**
   * The ops that move a person's SCIM record from `previous` to `next` (either may be absent:
   * provisioning, deletion), conditional on the version read, with its userName seat. They join
   * the transaction that writes the person.
   */
  userOps(previous: ScimUserRecord | undefined, next: ScimUserRecord | undefined): WriteOp[] {
    forgetPositions(this.users);
    const personId = (next ?? previous)!.personId;
    const key = keys.scimUser(this.tenantId, personId);
    const stale = () => new PreconditionFailedError(`SCIM user ${personId} changed since it was read`);
    const ops: WriteOp[] = [];
    if (next)
      ops.push({
        item: {
          Put: {
            TableName: '',
            Item: { ...key, entity: 'scimUser', ...next },
            ...(previous
              ? {
                  ConditionExpression: 'version = :version',
                  ExpressionAttributeValues: { ':version': previous.version },
                }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        onConditionFailed: previous
          ? stale
          : () => new ConflictError(`Person ${personId} is already provisioned`),
      });
    else if (previous)
      ops.push({
        item: {
          Delete: {
            TableName: '',
            Key: key,
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
        onConditionFailed: stale,
      });
    const before = previous && lower(previous.userName);
    const after = next && lower(next.userName);
    if (after !== undefined && after !== before)
      ops.push({
        item: {
          Put: {
            TableName: '',
            Item: { ...keys.scimUserName(this.tenantId, after), entity: 'scimUserName', personId },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        onConditionFailed: () => userNameTaken(next!.userName),
      });
    if (before !== undefined && before !== after)
      ops.push({ item: { Delete: { TableName: '', Key: keys.scimUserName(this.tenantId, before) } } });
    return ops;
  }

  async getGroup(groupId: string): Promise<ScimGroupRecord> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.scimGroup(this.tenantId, groupId) }),
    );
    if (!Item) throw new NotFoundError(`No SCIM group ${groupId}`);
    return toEntity<ScimGroupRecord>(Item);
  }

  async groupIdByName(displayName: string): Promise<string | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.scimGroupName(this.tenantId, lower(displayName)),
        ConsistentRead: true,
      }),
    );
    return Item?.groupId as string | undefined;
  }

  async listGroups(startIndex: number, count: number): Promise<IndexedPage<ScimGroupRecord>> {
    const page = await indexedQuery(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.scimGroup(this.tenantId, '').PK,
          ':prefix': collections.scimGroups,
        },
      },
      this.groups,
      startIndex,
      count,
    );
    return {
      totalResults: page.totalResults,
      items: page.items.map((item) => toEntity<ScimGroupRecord>(item)),
    };
  }

  /** Writes a group from `previous` to `next` (create: no previous; delete: no next) with its name seat. */
  async writeGroup(
    previous: ScimGroupRecord | undefined,
    next: ScimGroupRecord | undefined,
    event: EventDraft,
  ): Promise<void> {
    forgetPositions(this.groups);
    const group = (next ?? previous)!;
    const key = keys.scimGroup(this.tenantId, group.id);
    const stale = () => new PreconditionFailedError(`SCIM group ${group.id} changed since it was read`);
    const versioned = previous
      ? {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        }
      : { ConditionExpression: 'attribute_not_exists(PK)' };
    const ops: WriteOp[] = [
      next
        ? {
            item: { Put: { TableName: '', Item: { ...key, entity: 'scimGroup', ...next }, ...versioned } },
            onConditionFailed: stale,
          }
        : { item: { Delete: { TableName: '', Key: key, ...versioned } }, onConditionFailed: stale },
    ];
    const before = previous && lower(previous.displayName);
    const after = next && lower(next.displayName);
    if (after !== undefined && after !== before)
      ops.push({
        item: {
          Put: {
            TableName: '',
            Item: { ...keys.scimGroupName(this.tenantId, after), entity: 'scimGroupName', groupId: group.id },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        onConditionFailed: () => groupNameTaken(next!.displayName),
      });
    if (before !== undefined && before !== after)
      ops.push({ item: { Delete: { TableName: '', Key: keys.scimGroupName(this.tenantId, before) } } });
    await this.write(ops, event);
  }
}

/** What the authorizer learns from a SCIM token's hash. */
export interface ResolvedScimToken {
  tenantId: string;
  tokenId: string;
  tenantStatus: TenantStatus;
}

/** Reads the global lookup item of a SCIM token hash and its tenant's status; used only by the authorizer. */
export async function resolveScimToken(db: Db, secretHash: string): Promise<ResolvedScimToken | undefined> {
  const { Item: lookup } = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.scimTokenLookup(secretHash), ConsistentRead: true }),
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
  return { tenantId, tokenId: lookup.tokenId as string, tenantStatus: tenant.status as TenantStatus };
}

/**
 * The organization's SCIM token. Its lookup item exists exactly while the token works: issuing a
 * new token deletes the old lookup in the same transaction, revoking deletes it.
 */
export class ScimTokensRepository extends TenantRepository {
  private async current(): Promise<{ token: ScimToken; secretHash: string } | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.scimToken(this.tenantId),
        ConsistentRead: true,
      }),
    );
    return Item ? { token: toEntity(Item, scimToken), secretHash: Item._secretHash as string } : undefined;
  }

  async get(): Promise<ScimToken> {
    const found = await this.current();
    if (!found) throw new NotFoundError('This organization has no SCIM token; issue one');
    return found.token;
  }

  /** Stores `next` as the token, conditional on the token read, and retires the one it replaces. */
  async issue(
    next: ScimToken,
    secretHash: string,
    event: (replaced?: ScimToken) => EventDraft,
  ): Promise<ScimToken> {
    const previous = await this.current();
    const replaces = previous?.token.status === 'active' ? previous.token : undefined;
    const token = { ...next, ...(replaces ? { replaces: replaces.id } : {}) };
    const ops: WriteOp[] = [
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.scimToken(this.tenantId),
              entity: 'scimToken',
              _secretHash: secretHash,
              ...token,
            },
            ...(previous
              ? { ConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': previous.token.id } }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        onConditionFailed: () =>
          new ConflictError('Another SCIM token was issued at the same time; issue again'),
      },
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.scimTokenLookup(secretHash),
              entity: 'scimTokenLookup',
              tenantId: this.tenantId,
              tokenId: token.id,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ];
    if (replaces)
      ops.push({ item: { Delete: { TableName: '', Key: keys.scimTokenLookup(previous!.secretHash) } } });
    await this.write(ops, event(replaces));
    return token;
  }

  async revoke(now: string, event: (token: ScimToken) => EventDraft): Promise<ScimToken> {
    const found = await this.current();
    if (!found) throw new NotFoundError('This organization has no SCIM token');
    if (found.token.status === 'revoked') return found.token;
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.scimToken(this.tenantId),
              UpdateExpression: 'SET #status = :revoked, revokedAt = :now',
              ConditionExpression: 'id = :id AND #status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':revoked': 'revoked',
                ':active': 'active',
                ':now': now,
                ':id': found.token.id,
              },
            },
          },
          onConditionFailed: () => new ConflictError('The SCIM token changed at the same time; look again'),
        },
        { item: { Delete: { TableName: '', Key: keys.scimTokenLookup(found.secretHash) } } },
      ],
      event(found.token),
    );
    return { ...found.token, status: 'revoked', revokedAt: now };
  }
}
