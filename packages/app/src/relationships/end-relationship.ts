import { assertOngoing, domainEvent, type Relationship } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/**
 * Ends an ongoing (active or pending_agreement) relationship (complete or dissolve) and frees its members' seats for rematching.
 * Only the members' own enrollments are read, whatever the size of the program.
 */
export async function endRelationship(
  ctx: TenantContext,
  relationshipId: string,
  to: 'completed' | 'dissolved',
  precondition: Precondition,
  reason?: string,
): Promise<Relationship> {
  return readModifyWrite(precondition, () => end(ctx, relationshipId, to, precondition, reason));
}

async function end(
  { store, clock }: TenantContext,
  relationshipId: string,
  to: 'completed' | 'dissolved',
  precondition: Precondition,
  reason?: string,
): Promise<Relationship> {
  const current = await store.relationships.get(relationshipId);
  assertVersion(current, precondition);
  assertOngoing(current);
  const personIds = current.members.map((m) => m.personId);
  const enrolled = await store.enrollments.activeOf(current.programId, personIds);
  const limits = current.members.map((m) => ({ ...m, capacity: enrolled.get(m.personId)?.capacity }));
  const event =
    to === 'dissolved'
      ? domainEvent('relationship.dissolved', {
          relationshipId,
          programId: current.programId,
          personIds,
          reason: reason ?? '',
        })
      : domainEvent('relationship.completed', { relationshipId, programId: current.programId, personIds });
  return store.relationships.end(current, to, reason, limits, clock().toISOString(), event);
}
