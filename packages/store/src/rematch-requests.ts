import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  type RematchRequest,
  type RematchStatus,
  rematchRequest as rematchSchema,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, gsi1, keys, personPartition, relationshipPartition } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/**
 * Rematch requests: one item per request (read by id, listed by status through GSI1), a pointer
 * in the requester's and in the relationship's partition, and a guard item that exists while the
 * person has an open request for the relationship. All of them are written in one transaction.
 */
export class RematchRequestsRepository extends TenantRepository {
  /** `alsoWrite` and the extra events join the transaction (a fit-check answer that asks for the rematch). */
  async create(
    value: RematchRequest,
    events: EventDraft | EventDraft[],
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    const pointer = { entity: 'rematchPointer', requestId: value.id, relationshipId: value.relationshipId };
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.openRematch(this.tenantId, value.relationshipId, value.personId),
                requestId: value.id,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () =>
            new ConflictError(
              `You already have an open rematch request for relationship ${value.relationshipId}; an admin resolves it first`,
            ),
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.rematchRequest(this.tenantId, value.id),
                GSI1PK: gsi1.rematchRequests(this.tenantId, value.status),
                GSI1SK: value.id,
                entity: 'rematchRequest',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.rematchOfPerson(this.tenantId, value.personId, value.id), ...pointer },
            },
          },
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.rematchOfRelationship(this.tenantId, value.relationshipId, value.id),
                ...pointer,
              },
            },
          },
        },
        ...alsoWrite,
      ],
      events,
    );
  }

  async get(id: string): Promise<RematchRequest> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.rematchRequest(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No rematch request ${id}`);
    return toEntity(Item, rematchSchema);
  }

  /** Resolves an open request and frees its guard, so the person may ask again. */
  async resolve(previous: RematchRequest, next: RematchRequest, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.rematchRequest(this.tenantId, next.id),
                GSI1PK: gsi1.rematchRequests(this.tenantId, next.status),
                GSI1SK: next.id,
                entity: 'rematchRequest',
                ...next,
              },
              ConditionExpression: '#version = :expected AND #status = :open',
              ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
              ExpressionAttributeValues: { ':expected': previous.version, ':open': 'open' },
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(
              `Rematch request ${next.id} changed since version ${previous.version}`,
            ),
        },
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.openRematch(this.tenantId, previous.relationshipId, previous.personId),
            },
          },
        },
      ],
      event,
    );
  }

  /** The tenant's requests, oldest first: in one status through GSI1, or all of them. */
  async list(status: RematchStatus | undefined, page: PageRequest): Promise<Page<RematchRequest>> {
    const binding = `${this.tenantId}|rematch-requests|${status ?? '*'}`;
    if (status)
      return queryPage(
        this.db,
        {
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': gsi1.rematchRequests(this.tenantId, status) },
        },
        page,
        this.cursors,
        binding,
        rematchSchema,
      );
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.rematchRequest(this.tenantId, '').PK,
          ':prefix': collections.rematchRequests,
        },
      },
      page,
      this.cursors,
      binding,
      rematchSchema,
    );
  }

  /** A person's requests, newest first, all of them or those about one relationship. */
  ofPerson(personId: string, page: PageRequest, relationshipId?: string): Promise<Page<RematchRequest>> {
    return this.throughPointers(
      personPartition(this.tenantId, personId),
      page,
      `person|${personId}|${relationshipId ?? '*'}`,
      relationshipId,
    );
  }

  /** A relationship's requests, newest first. */
  ofRelationship(relationshipId: string, page: PageRequest): Promise<Page<RematchRequest>> {
    return this.throughPointers(
      relationshipPartition(this.tenantId, relationshipId),
      page,
      `relationship|${relationshipId}`,
    );
  }

  private async throughPointers(
    partition: string,
    page: PageRequest,
    scope: string,
    relationshipId?: string,
  ): Promise<Page<RematchRequest>> {
    const pointers = await queryPage<{ requestId: string }>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(relationshipId ? { FilterExpression: 'relationshipId = :relationshipId' } : {}),
        ExpressionAttributeValues: {
          ':pk': partition,
          ':prefix': collections.rematchRequests,
          ...(relationshipId ? { ':relationshipId': relationshipId } : {}),
        },
        ScanIndexForward: false,
      },
      page,
      this.cursors,
      `${this.tenantId}|rematch-requests|${scope}`,
    );
    const ids = pointers.items.map((pointer) => pointer.requestId);
    const items = await batchGetAll(
      this.db,
      ids.map((id) => keys.rematchRequest(this.tenantId, id)),
      true,
    );
    const byId = new Map(items.map((item) => [String(item.id), toEntity(item, rematchSchema)]));
    return { items: ids.flatMap((id) => byId.get(id) ?? []), nextCursor: pointers.nextCursor };
  }
}
