import { ForbiddenError, isMember, NotFoundError, type Relationship } from '@tandem/core';
import type { Actor, ActorContext } from '../context.ts';

/**
 * A participant reaches only relationships they are a member of; anything else is reported
 * exactly as a relationship that does not exist, so ids of other people's relationships leak
 * nothing. Admins reach every relationship of their tenant.
 */
export function assertCanReach(actor: Actor, relationship: Pick<Relationship, 'id' | 'members'>): void {
  if (actor.kind === 'participant' && !isMember(relationship, actor.personId))
    throw new NotFoundError(`No relationship ${relationship.id}`);
}

/** The relationship, if the actor may reach it (404 otherwise). */
export async function reachableRelationship(
  ctx: ActorContext,
  relationshipId: string,
): Promise<Relationship> {
  const relationship = await ctx.store.relationships.get(relationshipId);
  assertCanReach(ctx.actor, relationship);
  return relationship;
}

/** A person-scoped resource (a profile, a calendar feed): a participant reaches only their own. */
export function assertSelfOrAdmin(actor: Actor, personId: string): void {
  if (actor.kind === 'participant' && actor.personId !== personId)
    throw new NotFoundError(`No person ${personId}`);
}

/** The person acting, for use cases that only participants perform (accept, rate, reflect). */
export function participantOf(actor: Actor): string {
  if (actor.kind !== 'participant')
    throw new ForbiddenError('Only a participant can do this, with their own token; an API key cannot');
  return actor.personId;
}
