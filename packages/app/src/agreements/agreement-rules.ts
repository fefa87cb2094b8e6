import { NotFoundError, type Relationship, type StoredAgreement } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';

/** The relationship (if the actor reaches it) and its agreement, which must exist. */
export async function reachableAgreement(
  ctx: ActorContext,
  relationshipId: string,
): Promise<{ relationship: Relationship; current: StoredAgreement }> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  const current = await ctx.store.agreements.get(relationshipId);
  if (!current)
    throw new NotFoundError(
      `Relationship ${relationshipId} has no agreement yet; a member drafts it with PUT`,
    );
  return { relationship, current };
}
