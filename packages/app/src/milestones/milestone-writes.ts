import {
  domainEvent,
  type EventDraft,
  type MilestoneTrigger,
  type ReachedMilestone,
  type Relationship,
  type RelationshipMilestone,
} from '@tandem/core';
import type { TenantStore, WriteOp } from '@tandem/store';

export interface MilestoneWrites {
  ops: WriteOp[];
  events: EventDraft[];
  reached: ReachedMilestone[];
}

/** The writes and events that mark these milestones of the relationship reached at `at`. */
export async function reachWrites(
  store: TenantStore,
  relationship: Pick<Relationship, 'id' | 'programId'>,
  milestones: readonly RelationshipMilestone[],
  at: string,
  personId?: string,
): Promise<MilestoneWrites> {
  const reached = milestones.map(
    (m): ReachedMilestone => ({
      relationshipId: relationship.id,
      key: m.key,
      trigger: m.trigger,
      reachedAt: at,
      ...(personId ? { reachedBy: personId } : {}),
    }),
  );
  return {
    reached,
    ops: await Promise.all(reached.map((r) => store.milestones.reachOp(r))),
    events: reached.map((r) =>
      domainEvent('milestone.reached', {
        relationshipId: relationship.id,
        programId: relationship.programId,
        key: r.key,
        trigger: r.trigger,
        ...(personId ? { personId } : {}),
      }),
    ),
  };
}

/**
 * What a use case adds to its own transaction when it does what `trigger` names (an agreement
 * fully accepted, the first meeting logged as held): one write and one `milestone.reached` per
 * milestone of the relationship with that trigger that is not in `reachedKeys` (from
 * `store.milestones.reachedKeys`). A milestone reached meanwhile fails the transaction with a
 * PreconditionFailedError, so the caller retries on fresh state (`retryOnFreshState`) and the
 * milestone is left out the second time.
 */
export function milestoneWritesFor(
  store: TenantStore,
  relationship: Pick<Relationship, 'id' | 'programId' | 'milestones'>,
  reachedKeys: ReadonlySet<string>,
  trigger: Exclude<MilestoneTrigger, 'manual'>,
  at: string,
): Promise<MilestoneWrites> {
  const due = relationship.milestones.filter((m) => m.trigger === trigger && !reachedKeys.has(m.key));
  return reachWrites(store, relationship, due, at);
}
