import {
  assertEnrollmentOpen,
  domainEvent,
  type Enrollment,
  type EnrollmentInput,
  newId,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { instanceWritesFor } from '../surveys/open-instances.ts';
import { assertEnrollmentValid, enrollmentEventData } from './enrollment-rules.ts';

/**
 * Enrolls a person; the seat, the program's counter and the person's status are checked in one
 * transaction, which also opens the program's pre-program survey for them.
 */
export async function enroll(
  ctx: TenantContext,
  programId: string,
  input: EnrollmentInput,
): Promise<Enrollment> {
  const { store } = ctx;
  const now = ctx.clock();
  const program = await store.programs.get(programId);
  assertEnrollmentOpen(program, now);
  await assertEnrollmentValid(store, program.format, input);
  const value: Enrollment = {
    id: newId('enrollment'),
    programId,
    ...input,
    ...(input.role === 'mentor'
      ? { capacity: input.capacity ?? program.capacity.defaultMentorCapacity }
      : {}),
    status: 'active',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  const surveys = await instanceWritesFor(ctx, programId, 'pre_program', [{ personId: input.personId }]);
  await store.enrollments.create(
    value,
    program,
    [domainEvent('enrollment.created', enrollmentEventData(value)), ...surveys.events],
    surveys.ops,
  );
  return value;
}
