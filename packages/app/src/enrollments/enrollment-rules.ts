import {
  assertEnrollmentFits,
  type Enrollment,
  type EnrollmentInput,
  InvalidInputError,
  type ProgramFormat,
} from '@tandem/core';
import type { TenantStore } from '@tandem/store';

export const enrollmentEventData = (e: Enrollment) => ({
  enrollmentId: e.id,
  programId: e.programId,
  personId: e.personId,
  role: e.role,
});

/**
 * Core's fit rules plus the one that needs the store: every preferred person is a person of this
 * organization (another tenant's id is as unknown here as a made-up one).
 */
export async function assertEnrollmentValid(
  store: TenantStore,
  format: ProgramFormat,
  value: Pick<EnrollmentInput, 'role' | 'capacity' | 'personId' | 'preferences'>,
) {
  assertEnrollmentFits(format, value);
  const preferences = value.preferences ?? [];
  if (preferences.length === 0) return;
  const known = await store.people.getMany(preferences);
  const errors = preferences.flatMap((id, i) =>
    known.has(id) ? [] : [{ field: `/preferences/${i}`, message: 'must be a person of this organization' }],
  );
  if (errors.length)
    throw new InvalidInputError(`Preferences name ${errors.length} unknown person(s)`, errors);
}
