import { domainEvent, type Reflection, type ReflectionInput, reflectionWords } from '@tandem/core';
import type { Actor, ActorContext } from '../context.ts';
import { participantOf, reachableRelationship } from '../participants/access.ts';

/**
 * A member's closing reflection, written once. It may be written at any point of the
 * relationship's life, also after it ended, since it is part of the relationship's history.
 */
export async function writeReflection(
  ctx: ActorContext,
  relationshipId: string,
  input: ReflectionInput,
): Promise<Reflection> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  const personId = participantOf(ctx.actor);
  const now = ctx.clock().toISOString();
  const value: Reflection = {
    relationshipId,
    programId: relationship.programId,
    personId,
    ...input,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.reflections.create(
    value,
    domainEvent('reflection.written', { relationshipId, programId: relationship.programId, personId }),
  );
  return value;
}

/** The reflections on a relationship: the members read all of them, admins what each author shared. */
export async function listReflections(ctx: ActorContext, relationshipId: string): Promise<Reflection[]> {
  await reachableRelationship(ctx, relationshipId);
  const reflections = await ctx.store.reflections.ofRelationship(relationshipId);
  return reflections.map((reflection) => asSeenBy(ctx.actor, reflection));
}

function asSeenBy(actor: Actor, reflection: Reflection): Reflection {
  if (actor.kind === 'participant' || reflection.shareWithAdmins) return reflection;
  const kept: Partial<Reflection> = { ...reflection };
  for (const field of reflectionWords) delete kept[field];
  return kept as Reflection;
}
