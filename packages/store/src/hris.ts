import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EmployeeSnapshot,
  type EventDraft,
  type HrisApiCredentials,
  type HrisConnection,
  type HrisLogEntry,
  type HrisSecret,
  hashSecret,
  hrisConnection,
  hrisLogEntry,
  NotFoundError,
  normalizeEmail,
  type PeopleSource,
  PreconditionFailedError,
  peopleSource,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import type { Db } from './db.ts';
import { toEntity } from './db.ts';
import {
  cachedHrisConnection,
  cacheHrisConnection,
  forgetHrisConnection,
  readHrisConnectionOnce,
  readingHrisConnection,
} from './hris-connection-cache.ts';
import { collections, keyId, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { SecretSealer } from './secret-sealer.ts';
import { versionCondition, versionedUpdate, type WriteOp } from './transact.ts';

/** Receipts outlive every provider's retry horizon (Personio's reaches 6 days). */
export const HRIS_DEDUP_DAYS = 8;
/** How long the event log of a connection keeps an entry. */
export const HRIS_LOG_DAYS = 30;

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`HRIS connection ${id} changed since version ${version}`);

/** Where a connection id leads: read by the webhook route, which has no other credential to go by. */
export async function resolveHrisConnection(db: Db, connectionId: string): Promise<string | undefined> {
  const { Item } = await db.doc.send(
    new GetCommand({
      TableName: db.tableName,
      Key: keys.hrisConnectionLookup(connectionId),
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const tenantId = Item.tenantId as string;
  const { Item: tenant } = await db.doc.send(
    new GetCommand({
      TableName: db.tableName,
      Key: keys.tenant(tenantId),
      ProjectionExpression: '#status',
      ExpressionAttributeNames: { '#status': 'status' },
    }),
  );
  return tenant?.status === 'active' ? tenantId : undefined;
}

export interface HrisConnectionWithSecrets {
  connection: HrisConnection;
  secrets: HrisSecret[];
  apiCredentials: HrisApiCredentials | undefined;
}

/**
 * HRIS connections of one tenant, with the global lookup item of each (connection id → tenant),
 * so this repository writes through the platform client. Secrets are the storage-only `_secrets`
 * (webhook keys) and `_apiCredentials` (the provider API's credentials), never part of the entity,
 * stored sealed (`SecretSealer`, bound to the tenant and the connection); beside the credentials,
 * the hash of their refresh token (`_refreshTokenHash`), which a token exchange's write is
 * conditional on. A connection written before secrets were sealed holds them in plaintext: the
 * first read of its secrets (its next webhook, fetch or reconciliation) seals them.
 */
export class HrisConnectionsRepository extends TenantRepository {
  async create(
    connection: HrisConnection,
    secrets: HrisSecret[],
    event: EventDraft,
    apiCredentials?: HrisApiCredentials,
    ops: WriteOp[] = [],
  ): Promise<void> {
    const sealed = await this.sealed(connection.id, { secrets, apiCredentials });
    await this.write(
      [
        ...ops,
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.hrisConnection(this.tenantId, connection.id),
                entity: 'hrisConnection',
                ...sealed,
                ...connection,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.hrisConnectionLookup(connection.id),
                entity: 'hrisConnectionLookup',
                tenantId: this.tenantId,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async getWithSecrets(id: string): Promise<HrisConnectionWithSecrets> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.hrisConnection(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No HRIS connection ${id}`);
    const { secrets, apiCredentials } = await this.secretsOf(Item);
    await this.sealWhatWasPlain(Item, { secrets, apiCredentials });
    return { connection: toEntity(Item, hrisConnection), secrets: secrets ?? [], apiCredentials };
  }

  /** A connection item's keys and API credentials, opened (or as stored, when written before sealing). */
  private async secretsOf(item: Record<string, unknown>) {
    const id = item.id as string;
    const [secrets, apiCredentials] = await Promise.all([
      this.opened<HrisSecret[]>(id, 'secrets', item._secrets),
      this.opened<HrisApiCredentials>(id, 'api-credentials', item._apiCredentials),
    ]);
    return { secrets, apiCredentials };
  }

  /**
   * Seals in place what a connection written before sealing holds in plaintext, as read: a storage
   * change only (no new version, no event), on the condition that it is still plaintext and the
   * connection unchanged, so an edit, a token exchange or another reader's sealing goes first.
   */
  private async sealWhatWasPlain(
    item: Record<string, unknown>,
    opened: { secrets: HrisSecret[] | undefined; apiCredentials: HrisApiCredentials | undefined },
  ) {
    const { plainSecrets, plainCredentials } = plaintextOf(item);
    if (!plainSecrets && !plainCredentials) return;
    const sealed = await this.sealed(item.id as string, {
      ...(plainSecrets ? { secrets: opened.secrets } : {}),
      ...(plainCredentials ? { apiCredentials: opened.apiCredentials } : {}),
    });
    const names = Object.keys(sealed);
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.hrisConnection(this.tenantId, item.id as string),
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
          ConditionExpression: [
            '#version = :version',
            ...(plainSecrets ? ['attribute_type(#secrets, :list)'] : []),
            ...(plainCredentials ? ['attribute_type(#credentials, :map)'] : []),
          ].join(' AND '),
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
            '#version': 'version',
            ...(plainSecrets ? { '#secrets': '_secrets' } : {}),
            ...(plainCredentials ? { '#credentials': '_apiCredentials' } : {}),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, i) => [`:a${i}`, sealed[name]])),
            ':version': item.version,
            ...(plainSecrets ? { ':list': 'L' } : {}),
            ...(plainCredentials ? { ':map': 'M' } : {}),
          },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  /** The storage-only attributes that keep `secrets` and `apiCredentials`, sealed, for those given. */
  private async sealed(
    id: string,
    given: { secrets?: HrisSecret[] | undefined; apiCredentials?: HrisApiCredentials | undefined },
  ): Promise<Record<string, string>> {
    const [secrets, apiCredentials] = await Promise.all([
      given.secrets && this.sealer.sealJson(given.secrets, this.sealingContext(id, 'secrets')),
      given.apiCredentials &&
        this.sealer.sealJson(given.apiCredentials, this.sealingContext(id, 'api-credentials')),
    ]);
    return {
      ...(secrets ? { _secrets: secrets } : {}),
      ...(apiCredentials
        ? { _apiCredentials: apiCredentials, _refreshTokenHash: refreshTokenHash(given.apiCredentials) }
        : {}),
    };
  }

  /** A sealed value opened; one stored before sealing, as it is. */
  private async opened<T>(
    id: string,
    part: 'secrets' | 'api-credentials',
    stored: unknown,
  ): Promise<T | undefined> {
    if (!SecretSealer.isSealed(stored)) return stored as T | undefined;
    return this.sealer.openJson<T>(stored, this.sealingContext(id, part));
  }

  /** What a sealed secret of the connection is bound to: the tenant, the connection and which secret. */
  private sealingContext(id: string, part: 'secrets' | 'api-credentials') {
    return `${this.tenantId}/hris-connection/${id}/${part}`;
  }

  /**
   * The connection for a webhook delivery: as this process read it within the last seconds
   * (`cached: true`; see hris-connection-cache.ts), unless `fresh`, else read now and kept. What a
   * cached connection lets through must be written with `unchangedOp`.
   */
  async getForDelivery(
    id: string,
    options: { fresh?: boolean } = {},
  ): Promise<HrisConnectionWithSecrets & { cached: boolean }> {
    const nowMs = Date.now();
    if (!options.fresh) {
      const cached = cachedHrisConnection<HrisConnectionWithSecrets>(this.tenantId, id, nowMs);
      if (cached) return { ...cached, cached: true };
      // A read another delivery began may predate this delivery, so it counts as cached (its
      // answer is written under the version guard too); if it fails, this delivery reads itself.
      const reading = readingHrisConnection<HrisConnectionWithSecrets>(this.tenantId, id);
      const joined = reading && (await reading);
      if (joined) return { ...joined, cached: true };
    }
    forgetHrisConnection(this.tenantId, id);
    const read = await readHrisConnectionOnce(this.tenantId, id, () => this.getWithSecrets(id));
    cacheHrisConnection(this.tenantId, id, read, nowMs);
    return { ...read, cached: false };
  }

  /** A condition of a transaction: the connection is still at the version it was read at. */
  unchangedOp(connection: HrisConnection, onChanged: () => Error): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: '',
          Key: keys.hrisConnection(this.tenantId, connection.id),
          ...(versionCondition(connection.version) as {
            ConditionExpression: string;
          }),
        },
      },
      onConditionFailed: onChanged,
    };
  }

  async get(id: string): Promise<HrisConnection> {
    return (await this.getWithSecrets(id)).connection;
  }

  /**
   * Seals what every connection of the tenant still holds as written before sealing (the scheduled
   * job's one-off sweep): a connection that receives no webhook and is never read would otherwise
   * keep its keys and credentials in plaintext. Returns how many connections it sealed.
   */
  async sealPlaintextSecrets(): Promise<number> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.hrisConnection(this.tenantId, '').PK,
        ':prefix': collections.hrisConnections,
      },
    });
    let sealed = 0;
    for (const item of items) {
      const { plainSecrets, plainCredentials } = plaintextOf(item);
      if (!plainSecrets && !plainCredentials) continue;
      await this.sealWhatWasPlain(item, await this.secretsOf(item));
      sealed++;
    }
    return sealed;
  }

  async list(page: PageRequest): Promise<Page<HrisConnection>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.hrisConnection(this.tenantId, '').PK,
          ':prefix': collections.hrisConnections,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|hris-connections`,
      hrisConnection,
    );
  }

  /**
   * Replaces the connection as read at `previous.version`; `storageOnly` replaces the stored
   * secrets or API credentials it names.
   */
  async update(
    previous: HrisConnection,
    next: HrisConnection,
    removed: string[],
    event: EventDraft,
    storageOnly: { secrets?: HrisSecret[]; apiCredentials?: HrisApiCredentials } = {},
    ops: WriteOp[] = [],
  ): Promise<void> {
    const extra = await this.sealed(next.id, storageOnly);
    await this.write(
      [
        {
          item: versionedUpdate(keys.hrisConnection(this.tenantId, next.id), next, {
            expectedVersion: previous.version,
            // Credentials removed take the hash of their refresh token with them.
            removed: removed.includes('_apiCredentials') ? [...removed, '_refreshTokenHash'] : removed,
            ...(Object.keys(extra).length ? { extra } : {}),
          }),
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
        ...ops,
      ],
      event,
    );
    forgetHrisConnection(this.tenantId, next.id);
  }

  /**
   * Replaces the API credentials with those a provider's token exchange returned, if the kept ones
   * still hold the refresh token that was spent (false: another exchange or an admin replaced
   * them first). The connection's version stays: a token exchange is no edit an If-Match should see.
   */
  async rotateApiCredentials(
    id: string,
    previous: HrisApiCredentials,
    next: HrisApiCredentials,
  ): Promise<boolean> {
    const sealed = await this.sealed(id, { apiCredentials: next });
    const rotated = await this.writeOne({
      Update: {
        TableName: '',
        Key: keys.hrisConnection(this.tenantId, id),
        UpdateExpression: 'SET #credentials = :next, #hash = :nextHash',
        // Credentials stored before sealing have no hash, but hold the refresh token in plaintext.
        ConditionExpression: '#hash = :spentHash OR #credentials.#refresh = :spent',
        ExpressionAttributeNames: {
          '#credentials': '_apiCredentials',
          '#hash': '_refreshTokenHash',
          '#refresh': 'refreshToken',
        },
        ExpressionAttributeValues: {
          ':next': sealed._apiCredentials,
          ':nextHash': sealed._refreshTokenHash,
          ':spentHash': refreshTokenHash(previous),
          ':spent': previous.refreshToken ?? null,
        },
      },
    });
    forgetHrisConnection(this.tenantId, id);
    return rotated;
  }

  async delete(previous: HrisConnection, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.hrisConnection(this.tenantId, previous.id),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
        { item: { Delete: { TableName: '', Key: keys.hrisConnectionLookup(previous.id) } } },
      ],
      event,
    );
    forgetHrisConnection(this.tenantId, previous.id);
  }

  /**
   * Stores a key the provider sent itself (Gusto's verification token) as the first secret of a
   * connection that has none; false when it has one by now (a later token never replaces it).
   */
  async adoptFirstSecret(
    connection: HrisConnection,
    secret: HrisSecret,
    event: EventDraft,
  ): Promise<boolean> {
    const refused = new Error('has a secret');
    try {
      await this.write(
        [
          {
            item: {
              Update: {
                TableName: '',
                Key: keys.hrisConnection(this.tenantId, connection.id),
                UpdateExpression:
                  'SET #secrets = :secrets, #summaries = :summaries, #version = #version + :one, updatedAt = :now',
                // The summaries say what the sealed secrets hold.
                ConditionExpression:
                  'attribute_exists(PK) AND (attribute_not_exists(#summaries) OR size(#summaries) = :zero)',
                ExpressionAttributeNames: {
                  '#secrets': '_secrets',
                  '#summaries': 'secrets',
                  '#version': 'version',
                },
                ExpressionAttributeValues: {
                  ':secrets': (await this.sealed(connection.id, { secrets: [secret] }))._secrets,
                  ':summaries': [{ id: secret.id, preview: secret.preview, createdAt: secret.createdAt }],
                  ':one': 1,
                  ':zero': 0,
                  ':now': secret.createdAt,
                },
              },
            },
            onConditionFailed: () => refused,
          },
        ],
        event,
      );
      forgetHrisConnection(this.tenantId, connection.id);
      return true;
    } catch (error) {
      if (error === refused) return false;
      throw error;
    }
  }

  /** Whether the organization has any HRIS connection: then it, not SCIM, is the source of people. */
  async any(): Promise<boolean> {
    const { Items = [] } = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.hrisConnection(this.tenantId, '').PK,
          ':prefix': collections.hrisConnections,
        },
        ProjectionExpression: 'PK',
        Limit: 1,
      }),
    );
    return Items.length > 0;
  }
}

/** What Tandem keeps per employee of a connection: who they are here and the source's latest time. */
export interface HrisEmployeeState {
  externalId: string;
  personId: string;
  sourceUpdatedAt: string;
  /**
   * What the source said of the employee, field by field the newest it said: the record of which
   * fields this connection is the source of.
   */
  snapshot: EmployeeSnapshot;
}

/** What applying a change reads first (see `HrisInboxRepository.changeReads`). */
export interface HrisChangeReads {
  source: PeopleSource;
  state: HrisEmployeeState | undefined;
  /** The person holding the provider's external id. */
  byExternalId: string | undefined;
  /** The email looked up, and the person holding it. */
  email: string | undefined;
  byEmail: string | undefined;
}

export type HrisLogDraft = Omit<HrisLogEntry, 'id' | 'connectionId' | 'at'>;

/** A connection's inbound traffic: receipts (deduplication), the event log, employee states. */
export class HrisInboxRepository extends TenantRepository {
  private logItem(connectionId: string, entryId: string, at: Date, draft: HrisLogDraft) {
    return {
      ...keys.hrisLog(this.tenantId, connectionId, entryId),
      entity: 'hrisLog',
      id: entryId,
      connectionId,
      at: at.toISOString(),
      ...draft,
      expiresAt: Math.floor(at.getTime() / 1000) + HRIS_LOG_DAYS * 86_400,
    };
  }

  /** An entry of the event log; `ops` joins it to the write it records. */
  logOp(connectionId: string, entryId: string, draft: HrisLogDraft): WriteOp {
    return {
      item: { Put: { TableName: '', Item: this.logItem(connectionId, entryId, this.clock(), draft) } },
    };
  }

  /**
   * Claims a delivery's dedup key and logs it in one transaction, with `ops` (the local queue's
   * jobs); false when the key was already claimed within the window (a redelivery), in which case
   * only `duplicate` is logged and `ops` are not written. `guard` (conditions the delivery was
   * verified under) goes first, so its error is the one raised when it fails, whatever else does.
   */
  async receive(
    connectionId: string,
    dedupKey: string,
    entryId: string,
    draft: HrisLogDraft,
    ops: WriteOp[] = [],
    guard: WriteOp[] = [],
  ): Promise<boolean> {
    const now = this.clock();
    const duplicate = new Error('duplicate');
    try {
      await this.write([
        ...guard,
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.hrisReceipt(this.tenantId, connectionId, dedupKey),
                entity: 'hrisReceipt',
                receivedAt: now.toISOString(),
                expiresAt: Math.floor(now.getTime() / 1000) + HRIS_DEDUP_DAYS * 86_400,
              },
              // An expired receipt TTL has not removed yet no longer deduplicates.
              ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
              ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
            },
          },
          onConditionFailed: () => duplicate,
        },
        this.logOp(connectionId, entryId, draft),
        ...ops,
      ]);
      return true;
    } catch (error) {
      if (error !== duplicate) throw error;
      await this.log(connectionId, entryId, { ...draft, outcome: 'duplicate' });
      return false;
    }
  }

  /** Forgets a receipt whose changes could not be queued, so the provider's retry is taken. */
  async release(connectionId: string, dedupKey: string): Promise<void> {
    await this.db.doc.send(
      new DeleteCommand({
        TableName: this.db.tableName,
        Key: keys.hrisReceipt(this.tenantId, connectionId, dedupKey),
      }),
    );
  }

  async log(connectionId: string, entryId: string, draft: HrisLogDraft): Promise<void> {
    await this.write([this.logOp(connectionId, entryId, draft)]);
  }

  async listLog(connectionId: string, page: PageRequest): Promise<Page<HrisLogEntry>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.hrisLog(this.tenantId, connectionId, '').PK,
          ':prefix': collections.hrisLog,
        },
        ScanIndexForward: false,
      },
      page,
      this.cursors,
      `${this.tenantId}|hris-log|${connectionId}`,
      hrisLogEntry,
    );
  }

  /** The person holding an id of another system (`externalIds[system]`), or with an email. */
  async personIdOf(
    lookup: { system: string; value: string } | { email: string },
  ): Promise<string | undefined> {
    const Key =
      'email' in lookup
        ? keys.personEmail(this.tenantId, normalizeEmail(lookup.email))
        : keys.personExternalId(this.tenantId, lookup.system, lookup.value);
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key, ConsistentRead: true }),
    );
    return Item?.personId as string | undefined;
  }

  /**
   * What applying a change to an employee reads, in one consistent BatchGetItem: the people source,
   * the employee's state, and the people holding the provider's external id and (when given) the
   * email.
   */
  async changeReads(
    connectionId: string,
    provider: string,
    externalId: string,
    email: string | undefined,
  ): Promise<HrisChangeReads> {
    const [reads] = await this.changeReadsOf([{ connectionId, provider, externalId, email }]);
    return reads!;
  }

  /**
   * `changeReads` of several employees together (a batch of the queue's changes), in as few
   * consistent BatchGetItems as DynamoDB allows, the people source read once for all.
   */
  async changeReadsOf(
    employees: { connectionId: string; provider: string; externalId: string; email: string | undefined }[],
  ): Promise<HrisChangeReads[]> {
    const wanted = employees.map(({ connectionId, provider, externalId, email }) => ({
      state: keys.hrisEmployee(this.tenantId, connectionId, externalId),
      byExternalId: keys.personExternalId(this.tenantId, provider, externalId),
      ...(email ? { byEmail: keys.personEmail(this.tenantId, normalizeEmail(email)) } : {}),
    }));
    const sourceKey = keys.peopleSource(this.tenantId);
    // batchGetAll reads a key named twice (two changes naming one email) once.
    const items = new Map(
      (await batchGetAll(this.db, [sourceKey, ...wanted.flatMap((w) => Object.values(w))], true)).map(
        (item) => [keyId(item), item],
      ),
    );
    const source = items.get(keyId(sourceKey));
    return wanted.map((w, i) => {
      const state = items.get(keyId(w.state));
      return {
        source: source ? toEntity(source, peopleSource) : { source: 'none', version: 0 },
        state: state ? (toEntity(state) as HrisEmployeeState) : undefined,
        byExternalId: items.get(keyId(w.byExternalId))?.personId as string | undefined,
        email: employees[i]!.email,
        byEmail: w.byEmail ? (items.get(keyId(w.byEmail))?.personId as string | undefined) : undefined,
      };
    });
  }

  async employee(connectionId: string, externalId: string): Promise<HrisEmployeeState | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.hrisEmployee(this.tenantId, connectionId, externalId),
        ConsistentRead: true,
      }),
    );
    return Item ? (toEntity(Item) as HrisEmployeeState) : undefined;
  }

  /**
   * Records the source's time for an employee, conditional on what was read: a change that lost a
   * race to a newer one fails (`stale`), so only the newest of concurrent changes is applied.
   */
  employeeOp(
    connectionId: string,
    previous: HrisEmployeeState | undefined,
    next: HrisEmployeeState,
    stale: () => Error,
  ): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.hrisEmployee(this.tenantId, connectionId, next.externalId),
            entity: 'hrisEmployee',
            ...next,
          },
          ...(previous
            ? {
                ConditionExpression: 'sourceUpdatedAt = :seen',
                ExpressionAttributeValues: { ':seen': previous.sourceUpdatedAt },
              }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
      onConditionFailed: stale,
    };
  }

  /** Writes `ops` (a change's effects) with their events in one transaction. */
  async commit(ops: WriteOp[], events: EventDraft[] = []): Promise<void> {
    await this.write(ops, events);
  }
}

/** What a token exchange's conditional write compares: the refresh token's hash, never the token. */
const refreshTokenHash = (credentials: HrisApiCredentials | undefined) =>
  hashSecret(credentials?.refreshToken ?? '');

/** What of a connection item is plaintext: a list of keys, credentials not sealed (written before sealing). */
const plaintextOf = (item: Record<string, unknown>) => ({
  plainSecrets: Array.isArray(item._secrets),
  plainCredentials: item._apiCredentials !== undefined && !SecretSealer.isSealed(item._apiCredentials),
});
