import { domainEvent, type Enrollment, enrollment, type enrollmentPatch } from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { assertEnrollmentValid, enrollmentEventData } from './enrollment-rules.ts';

export function updateEnrollment(
  ctx: TenantContext,
  programId: string,
  enrollmentId: string,
  patch: z.infer<typeof enrollmentPatch>,
  precondition: Precondition,
): Promise<Enrollment> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.enrollments.get(programId, enrollmentId),
    schema: enrollment,
    check: async (updated) =>
      assertEnrollmentValid(store, (await store.programs.get(programId)).format, updated),
    save: (current, updated, removed) =>
      store.enrollments.update(
        current,
        updated,
        removed,
        domainEvent('enrollment.updated', { ...enrollmentEventData(updated), changed: Object.keys(patch) }),
      ),
  });
}
