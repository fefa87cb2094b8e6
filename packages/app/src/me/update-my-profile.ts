import { assertSelfEditable, type Person, type profilePatch } from '@tandem/core';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';
import { updatePerson } from '../people/update-person.ts';
import type { Precondition } from '../versioned.ts';

/** A participant's merge patch of their own profile: the person update, limited to the fields that are theirs. */
export function updateMyProfile(
  ctx: ActorContext,
  patch: z.infer<typeof profilePatch>,
  precondition: Precondition,
): Promise<Person> {
  const personId = participantOf(ctx.actor);
  assertSelfEditable(patch);
  return updatePerson(ctx, personId, patch, precondition);
}
