import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  type FieldSource,
  type PeopleSource,
  peopleSource,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** The organization's source of truth for people. No rules here: which writer may write is core's. */
export class PeopleSourceRepository extends TenantRepository {
  async get(): Promise<PeopleSource> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.peopleSource(this.tenantId),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, peopleSource) : { source: 'none', version: 0 };
  }

  /** Stores `next`, conditional on the version read (0: never set). */
  async set(previous: PeopleSource, next: PeopleSource, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.peopleSource(this.tenantId), entity: 'peopleSource', ...next },
              ...(previous.version
                ? {
                    ConditionExpression: 'version = :version',
                    ExpressionAttributeValues: { ':version': previous.version },
                  }
                : { ConditionExpression: 'attribute_not_exists(PK)' }),
            },
          },
          onConditionFailed: () =>
            new ConflictError('The people source changed at the same time; read it and set it again'),
        },
      ],
      event,
    );
  }

  /**
   * A check that joins a write of synced person fields: it holds while the organization has no
   * source of truth or `writer` is it, so a source set meanwhile refuses the write atomically and
   * costs no read before it.
   */
  guardOp(writer: FieldSource, onRefused: () => Error): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: '',
          Key: keys.peopleSource(this.tenantId),
          ConditionExpression: 'attribute_not_exists(PK) OR #source IN (:none, :writer)',
          ExpressionAttributeNames: { '#source': 'source' },
          ExpressionAttributeValues: { ':none': 'none', ':writer': writer },
        },
      },
      onConditionFailed: onRefused,
    };
  }
}
