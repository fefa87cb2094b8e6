import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ApiKey,
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  stampEvent,
  type Tenant,
  tenant,
} from '@tandem/core';
import { apiKeyCreateOps } from './api-keys.ts';
import { auditOpFor, rememberTier } from './audit.ts';
import type { CursorCodec } from './cursor.ts';
import { type Db, toEntity } from './db.ts';
import { gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { type Clock, systemClock } from './repository.ts';
import { versionedUpdate, type WriteOp, writeAtomically } from './transact.ts';

/** The operator's view of all tenants. */
export class TenantsRepository {
  constructor(
    private readonly db: Db,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A tenant never exists without its first admin key. */
  async create(tenant: Tenant, adminKey: ApiKey, adminKeyHash: string, event: EventDraft): Promise<void> {
    await this.write(
      tenant,
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.tenant(tenant.id),
                GSI1PK: gsi1.tenants,
                GSI1SK: tenant.id,
                entity: 'tenant',
                ...tenant,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        ...apiKeyCreateOps(tenant.id, adminKey, adminKeyHash),
      ],
      event,
    );
  }

  async get(id: string): Promise<Tenant> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.tenant(id) }),
    );
    if (!Item) throw new NotFoundError(`No tenant ${id}`);
    return toEntity(Item, tenant);
  }

  async update(previous: Tenant, next: Tenant, event: EventDraft): Promise<void> {
    await this.write(
      next,
      [
        {
          item: versionedUpdate(keys.tenant(next.id), next, { expectedVersion: previous.version }),
          onConditionFailed: () =>
            new PreconditionFailedError(`Tenant ${next.id} changed since version ${previous.version}`),
        },
      ],
      event,
    );
  }

  /** The tenant's change with its event and, under an audit context, its entry in the tenant's own audit log. */
  private async write(tenant: Tenant, ops: WriteOp[], event: EventDraft): Promise<void> {
    const now = this.clock();
    const stamped = stampEvent(event, tenant.id, now);
    rememberTier(tenant.id, tenant.tier);
    const audit = await auditOpFor(this.db, tenant.id, ops, [stamped], now);
    await writeAtomically(this.db, audit ? [...ops, audit] : ops, stamped);
  }

  async list(page: PageRequest): Promise<Page<Tenant>> {
    return queryPage<Tenant>(
      this.db,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': gsi1.tenants },
      },
      page,
      this.cursors,
      'platform|tenants',
      tenant,
    );
  }
}
