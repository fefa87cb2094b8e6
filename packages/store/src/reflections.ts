import {
  ConflictError,
  type EventDraft,
  type Reflection,
  reflection as reflectionSchema,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys, relationshipPartition } from './keys.ts';
import { queryAll } from './query.ts';
import { TenantRepository } from './repository.ts';

/** Closing reflections, one per member, in their relationship's partition. */
export class ReflectionsRepository extends TenantRepository {
  async create(value: Reflection, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.reflection(this.tenantId, value.relationshipId, value.personId),
                entity: 'reflection',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () =>
            new ConflictError(`You already wrote your reflection on relationship ${value.relationshipId}`),
        },
      ],
      event,
    );
  }

  /** Every reflection on a relationship (at most one per member), in the order of the members' ids. */
  async ofRelationship(relationshipId: string): Promise<Reflection[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': relationshipPartition(this.tenantId, relationshipId),
        ':prefix': collections.reflections,
      },
      ConsistentRead: true,
    });
    return items.map((item) => toEntity(item, reflectionSchema));
  }
}
