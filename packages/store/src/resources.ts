import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  type Resource,
  type ResourceKind,
  resource,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate } from './transact.ts';

export interface ResourceFilter {
  kind?: ResourceKind | undefined;
  tag?: string | undefined;
  status?: Resource['status'] | undefined;
  trainingModule?: boolean | undefined;
}

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`Resource ${id} changed since version ${version}`);

/** The tenant's library: articles, links and checklists, some of them training modules. */
export class ResourcesRepository extends TenantRepository {
  async create(value: Resource, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.resource(this.tenantId, value.id), entity: 'resource', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async get(id: string): Promise<Resource> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.resource(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No resource ${id}`);
    return toEntity(Item, resource);
  }

  /** The resources that exist among `ids`, by id, in batched reads. */
  async getMany(ids: string[]): Promise<Map<string, Resource>> {
    const items = await batchGetAll(
      this.db,
      [...new Set(ids)].map((id) => keys.resource(this.tenantId, id)),
      true,
    );
    return new Map(items.map((item) => [item.id as string, toEntity(item, resource)]));
  }

  /** `status` moves only by archiving, so an update never writes it. */
  async update(previous: Resource, next: Resource, removed: string[], event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: versionedUpdate(keys.resource(this.tenantId, next.id), next, {
            expectedVersion: previous.version,
            removed,
            skip: ['kind', 'status', 'archivedAt'],
          }),
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
      ],
      event,
    );
  }

  async archive(previous: Resource, now: string, event: EventDraft): Promise<Resource> {
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.resource(this.tenantId, previous.id),
              UpdateExpression:
                'SET #status = :archived, archivedAt = :now, updatedAt = :now, #version = #version + :one',
              ConditionExpression: '#version = :expected AND #status = :active',
              ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
              ExpressionAttributeValues: {
                ':archived': 'archived',
                ':active': 'active',
                ':now': now,
                ':one': 1,
                ':expected': previous.version,
              },
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
      ],
      event,
    );
    return {
      ...previous,
      status: 'archived',
      archivedAt: now,
      updatedAt: now,
      version: previous.version + 1,
    };
  }

  async list(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const field of ['kind', 'status', 'trainingModule'] as const) {
      if (filter[field] === undefined) continue;
      conditions.push(`#${field} = :${field}`);
      names[`#${field}`] = field;
      values[`:${field}`] = filter[field];
    }
    if (filter.tag !== undefined) {
      conditions.push('contains(#tags, :tag)');
      names['#tags'] = 'tags';
      values[':tag'] = filter.tag;
    }
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(conditions.length
          ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: {
          ':pk': keys.resource(this.tenantId, '').PK,
          ':prefix': collections.resources,
          ...values,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|resources|${JSON.stringify(filter)}`,
      resource,
    );
  }
}
