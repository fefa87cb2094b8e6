import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  surveyInstance as instanceSchema,
  NotFoundError,
  PreconditionFailedError,
  type SurveyInstance,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys, personPartition } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

/**
 * Survey instances: one item per instance in its participant's partition. They are opened inside
 * the transaction of what opens them (an enrollment, a meeting log, a completion, a timer).
 */
export class SurveyInstancesRepository extends TenantRepository {
  openOp(value: SurveyInstance): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.surveyInstance(this.tenantId, value.personId, value.id),
            entity: 'surveyInstance',
            ...value,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    };
  }

  /** Commits what a scheduled opening writes (instances, timers) with its events. */
  async open(ops: WriteOp[], events: EventDraft[]): Promise<void> {
    await this.write(ops, events);
  }

  async get(personId: string, id: string): Promise<SurveyInstance> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.surveyInstance(this.tenantId, personId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No survey instance ${id}`);
    return toEntity(Item, instanceSchema);
  }

  /** A person's instances, newest first. */
  ofPerson(personId: string, page: PageRequest): Promise<Page<SurveyInstance>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': personPartition(this.tenantId, personId),
          ':prefix': collections.surveyInstances,
        },
        ScanIndexForward: false,
      },
      page,
      this.cursors,
      `${this.tenantId}|survey-instances|${personId}`,
      instanceSchema,
    );
  }

  /** Part of an answer's or an expiry's transaction: the instance as read at `previous.version`. */
  replaceOp(previous: SurveyInstance, next: SurveyInstance): WriteOp {
    return {
      item: versionedUpdate(keys.surveyInstance(this.tenantId, next.personId, next.id), next, {
        expectedVersion: previous.version,
      }),
      onConditionFailed: () =>
        new PreconditionFailedError(`Survey instance ${next.id} changed since version ${previous.version}`),
    };
  }
}
