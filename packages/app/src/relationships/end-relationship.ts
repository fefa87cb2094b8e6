import {
  assertOngoing,
  ConflictError,
  domainEvent,
  type Relationship,
  type RelationshipEnd,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { instanceWritesFor } from '../surveys/open-instances.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** Completing, or dissolving with a reason. */
export type Ending = { to: 'completed' } | ({ to: 'dissolved' } & RelationshipEnd);

/**
 * Ends an ongoing (active or pending_agreement) relationship (complete or dissolve) and frees its
 * members' seats for rematching. Admins end any relationship; a member ends their own: dissolving
 * at any time, completing once every member wrote a closing reflection. Only the members' own
 * enrollments are read, whatever the size of the program.
 */
export async function endRelationship(
  ctx: ActorContext,
  relationshipId: string,
  ending: Ending,
  precondition: Precondition,
): Promise<Relationship> {
  return readModifyWrite(precondition, () => end(ctx, relationshipId, ending, precondition));
}

async function end(
  ctx: ActorContext,
  relationshipId: string,
  ending: Ending,
  precondition: Precondition,
): Promise<Relationship> {
  const { store, clock, actor } = ctx;
  const current = await reachableRelationship(ctx, relationshipId);
  assertVersion(current, precondition);
  assertOngoing(current);
  const endedBy = actor.kind === 'participant' ? actor.personId : undefined;
  if (endedBy && ending.to === 'completed') await assertEveryoneReflected(ctx, current);
  const personIds = current.members.map((m) => m.personId);
  const enrolled = await store.enrollments.activeOf(current.programId, personIds);
  const limits = current.members.map((m) => ({ ...m, capacity: enrolled.get(m.personId)?.capacity }));
  const about = { relationshipId, programId: current.programId, personIds, ...(endedBy ? { endedBy } : {}) };
  if (ending.to === 'completed') {
    // Completing opens the program's close-out survey for every member, in the same transaction.
    const surveys = await instanceWritesFor(
      ctx,
      current.programId,
      'close_out',
      personIds.map((personId) => ({ personId, relationshipId })),
    );
    return store.relationships.end(
      current,
      { to: 'completed', endedBy },
      limits,
      clock().toISOString(),
      [domainEvent('relationship.completed', about), ...surveys.events],
      surveys.ops,
    );
  }
  return store.relationships.end(
    current,
    { to: 'dissolved', endReason: ending.reason, endDetail: ending.detail, endedBy },
    limits,
    clock().toISOString(),
    // The detail stays in Tandem: subscribers learn the reason, not the words.
    domainEvent('relationship.dissolved', { ...about, reason: ending.reason }),
  );
}

/** A member completes a relationship only once every member has closed it with a reflection. */
async function assertEveryoneReflected({ store }: ActorContext, relationship: Relationship) {
  const written = new Set((await store.reflections.ofRelationship(relationship.id)).map((r) => r.personId));
  const missing = relationship.members.map((m) => m.personId).filter((id) => !written.has(id));
  if (missing.length)
    throw new ConflictError(
      `Every member writes a closing reflection before a member can complete the relationship; still missing: ${missing.join(', ')}`,
      missing.map((personId) => ({ field: '/members', message: `${personId} has not written a reflection` })),
    );
}
