import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  type Goal,
  type GoalUpdate,
  goal as goalSchema,
  goalUpdate as goalUpdateSchema,
  NotFoundError,
  PreconditionFailedError,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { healthInputsChangedOp } from './health-inputs.ts';
import { collections, goalUpdatesOf, keys, relationshipPartition } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

/** Goals of a relationship and each goal's history of progress, in the relationship's partition. */
export class GoalsRepository extends TenantRepository {
  private historyOp(entry: GoalUpdate): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.goalUpdate(this.tenantId, entry.relationshipId, entry.goalId, entry.id),
            entity: 'goalUpdate',
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    };
  }

  async create(value: Goal, alsoWrite: WriteOp[], event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.goal(this.tenantId, value.relationshipId, value.id), entity: 'goal', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        healthInputsChangedOp(this.tenantId, value.relationshipId),
        ...alsoWrite,
      ],
      event,
    );
  }

  async get(relationshipId: string, goalId: string): Promise<Goal> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.goal(this.tenantId, relationshipId, goalId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No goal ${goalId} in relationship ${relationshipId}`);
    return toEntity(Item, goalSchema);
  }

  /** Conditional on the version read; a change of progress or status brings its history entry. */
  async update(
    previous: Goal,
    next: Goal,
    removed: string[],
    history: GoalUpdate | undefined,
    alsoWrite: WriteOp[],
    event: EventDraft,
  ): Promise<void> {
    await this.write(
      [
        {
          item: versionedUpdate(keys.goal(this.tenantId, next.relationshipId, next.id), next, {
            expectedVersion: previous.version,
            removed,
            skip: ['relationshipId'],
          }),
          onConditionFailed: () =>
            new PreconditionFailedError(`Goal ${next.id} changed since version ${previous.version}`),
        },
        ...(history ? [this.historyOp(history)] : []),
        healthInputsChangedOp(this.tenantId, next.relationshipId),
        ...alsoWrite,
      ],
      event,
    );
  }

  list(relationshipId: string, page: PageRequest): Promise<Page<Goal>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': relationshipPartition(this.tenantId, relationshipId),
          ':prefix': collections.goals,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|goals|${relationshipId}`,
      goalSchema,
    );
  }

  /** Every goal of a relationship (a relationship sets a handful), read consistently. */
  async all(relationshipId: string): Promise<Goal[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': relationshipPartition(this.tenantId, relationshipId),
        ':prefix': collections.goals,
      },
      ConsistentRead: true,
    });
    return items.map((item) => toEntity(item, goalSchema));
  }

  /** A goal's history, oldest first. */
  history(relationshipId: string, goalId: string, page: PageRequest): Promise<Page<GoalUpdate>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': relationshipPartition(this.tenantId, relationshipId),
          ':prefix': goalUpdatesOf(goalId),
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|goalUpdates|${relationshipId}|${goalId}`,
      goalUpdateSchema,
    );
  }
}
