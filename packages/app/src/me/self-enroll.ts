import { ConflictError, type Enrollment, type SelfEnrollmentInput } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { enroll } from '../enrollments/enroll.ts';
import { participantOf } from '../participants/access.ts';

/**
 * A participant enrols themselves: the same enrollment as an admin's, allowed only while the
 * program is enrolling and says participants may.
 */
export async function selfEnroll(ctx: ActorContext, input: SelfEnrollmentInput): Promise<Enrollment> {
  const personId = participantOf(ctx.actor);
  const { programId, ...rest } = input;
  const program = await ctx.store.programs.get(programId);
  if (!program.selfEnrollment)
    throw new ConflictError('This program does not take self-enrolment; ask its admin to enrol you', [
      { field: '/programId', message: 'does not allow self-enrolment' },
    ]);
  if (program.status !== 'enrolling')
    throw new ConflictError(`The program is ${program.status}, not enrolling`, [
      { field: '/programId', message: `is ${program.status}` },
    ]);
  return enroll(ctx, programId, { ...rest, personId });
}
