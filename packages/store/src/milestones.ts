import type { EventDraft, ReachedMilestone } from '@tandem/core';
import { PreconditionFailedError } from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys, relationshipPartition } from './keys.ts';
import { queryAll } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/**
 * The milestones a relationship reached: one item each, written at most once, in the transaction
 * of whatever reached it (an acceptance, a logged meeting, a member saying so). Their titles and
 * due dates stay on the relationship, copied from the program when it started.
 */
export class MilestonesRepository extends TenantRepository {
  async reached(relationshipId: string): Promise<ReachedMilestone[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': relationshipPartition(this.tenantId, relationshipId),
        ':prefix': collections.milestones,
      },
      ConsistentRead: true,
    });
    return items.map((item) => toEntity<ReachedMilestone>(item));
  }

  async reachedKeys(relationshipId: string): Promise<Set<string>> {
    return new Set((await this.reached(relationshipId)).map((m) => m.key));
  }

  /**
   * The write that marks a milestone reached, for any transaction to join. It fails if the
   * milestone was reached meanwhile, as a lost race: the caller retries on fresh state, where
   * the milestone shows reached and is left out.
   */
  reachOp(value: ReachedMilestone): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.milestone(this.tenantId, value.relationshipId, value.key),
            entity: 'milestone',
            ...value,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      onConditionFailed: () =>
        new PreconditionFailedError(
          `Milestone ${value.key} of relationship ${value.relationshipId} was reached meanwhile`,
        ),
    };
  }

  /** Writes prepared milestone ops (and what joins them) with their events. */
  async reach(ops: WriteOp[], events: EventDraft[]): Promise<void> {
    await this.write(ops, events);
  }
}
