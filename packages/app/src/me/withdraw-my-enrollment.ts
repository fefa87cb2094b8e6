import { type Enrollment, NotFoundError } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { withdrawEnrollment } from '../enrollments/withdraw-enrollment.ts';
import { participantOf } from '../participants/access.ts';
import type { Precondition } from '../versioned.ts';

/** A participant withdraws one of their own active enrollments; anyone else's is not found. */
export async function withdrawMyEnrollment(
  ctx: ActorContext,
  enrollmentId: string,
  precondition: Precondition,
): Promise<Enrollment> {
  const personId = participantOf(ctx.actor);
  const own = (await ctx.store.enrollments.activeOfPerson(personId)).find((e) => e.id === enrollmentId);
  if (!own) throw new NotFoundError(`No active enrollment ${enrollmentId} of yours`);
  return withdrawEnrollment(ctx, own.programId, own.id, precondition);
}
