import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  type IdentityProvider,
  identityProvider,
  NotFoundError,
  normalizeEmail,
  type PersonStatus,
  PreconditionFailedError,
  type TenantStatus,
} from '@tandem/core';
import { type Db, toEntity } from './db.ts';
import { collections, issuerPartition, type Key, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';
import { versionCondition } from './transact.ts';

/** What the authorizer needs of a provider that trusts an issuer, from the issuer's lookup items. */
export interface TrustedProvider {
  tenantId: string;
  providerId: string;
  issuer: string;
  audience: string;
  jwksUri?: string | undefined;
  personClaim: string;
  externalIdSystem?: string | undefined;
}

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`Identity provider ${id} changed since version ${version}`);

/**
 * Identity providers of one tenant. Each provider's issuer also has a platform lookup item
 * (outside the tenant's partitions, like API key hashes), written in the same transaction, so
 * this repository is built on the platform client.
 */
export class IdentityProvidersRepository extends TenantRepository {
  private trustOps(provider: IdentityProvider): WriteOp {
    const trusted: TrustedProvider = {
      tenantId: this.tenantId,
      providerId: provider.id,
      issuer: provider.issuer,
      audience: provider.audience,
      jwksUri: provider.jwksUri,
      personClaim: provider.personClaim,
      externalIdSystem: provider.externalIdSystem,
    };
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.issuerTrust(provider.issuer, this.tenantId, provider.id),
            entity: 'issuerTrust',
            ...Object.fromEntries(Object.entries(trusted).filter(([, value]) => value !== undefined)),
          },
        },
      },
    };
  }

  private untrustOp(provider: IdentityProvider): WriteOp {
    return {
      item: { Delete: { TableName: '', Key: keys.issuerTrust(provider.issuer, this.tenantId, provider.id) } },
    };
  }

  async create(provider: IdentityProvider, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.identityProvider(this.tenantId, provider.id),
                entity: 'identityProvider',
                ...provider,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        this.trustOps(provider),
      ],
      event,
    );
  }

  async get(id: string): Promise<IdentityProvider> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.identityProvider(this.tenantId, id) }),
    );
    if (!Item) throw new NotFoundError(`No identity provider ${id}`);
    return toEntity(Item, identityProvider);
  }

  async list(page: PageRequest): Promise<Page<IdentityProvider>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.identityProvider(this.tenantId, '').PK,
          ':prefix': collections.identityProviders,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|identity-providers`,
      identityProvider,
    );
  }

  /** Replaces the provider as read at `previous.version`, and its issuer's lookup item with it. */
  async update(previous: IdentityProvider, next: IdentityProvider, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.identityProvider(this.tenantId, next.id), entity: 'identityProvider', ...next },
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
        ...(previous.issuer === next.issuer ? [] : [this.untrustOp(previous)]),
        this.trustOps(next),
      ],
      event,
    );
  }

  async delete(previous: IdentityProvider, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.identityProvider(this.tenantId, previous.id),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
        this.untrustOp(previous),
      ],
      event,
    );
  }
}

/** Platform read for the authorizer: the providers of every tenant that trusts `issuer`. */
export async function providersTrusting(db: Db, issuer: string, limit: number): Promise<TrustedProvider[]> {
  const { Items = [] } = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': issuerPartition(issuer) },
      Limit: limit,
    }),
  );
  return Items.map((item) => toEntity<TrustedProvider>(item));
}

/** How a verified token names its person: by email, or by an id in another system. */
export type PersonReference =
  | { kind: 'email'; email: string }
  | { kind: 'externalId'; system: string; value: string };

/** What the authorizer learns about the person a token names, and their organization. */
export interface ResolvedPerson {
  personId: string;
  status: PersonStatus;
  tenantStatus: TenantStatus;
}

/**
 * Platform read for the authorizer: the person of `tenantId` a token names (through the email
 * seat or the external id lookup), their status and their organization's. Undefined when the
 * reference names nobody.
 */
export async function resolvePerson(
  db: Db,
  tenantId: string,
  reference: PersonReference,
): Promise<ResolvedPerson | undefined> {
  const lookupKey =
    reference.kind === 'email'
      ? keys.personEmail(tenantId, normalizeEmail(reference.email))
      : keys.personExternalId(tenantId, reference.system, reference.value);
  const { Item: lookup } = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: lookupKey, ConsistentRead: true }),
  );
  if (!lookup) return undefined;
  const personId = lookup.personId as string;
  const read = (Key: Key) =>
    db.doc.send(
      new GetCommand({
        TableName: db.tableName,
        Key,
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
        ConsistentRead: true,
      }),
    );
  const [{ Item: person }, { Item: tenant }] = await Promise.all([
    read(keys.person(tenantId, personId)),
    read(keys.tenant(tenantId)),
  ]);
  if (!person || !tenant) return undefined;
  return {
    personId,
    status: person.status as PersonStatus,
    tenantStatus: tenant.status as TenantStatus,
  };
}
