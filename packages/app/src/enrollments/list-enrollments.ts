import type { Enrollment } from '@tandem/core';
import type { EnrollmentFilter, Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** A page of a program's enrollments; a program that is not this tenant's is a 404, not an empty page. */
export async function listEnrollments(
  { store }: TenantContext,
  programId: string,
  filter: EnrollmentFilter,
  page: PageRequest,
): Promise<Page<Enrollment>> {
  await store.programs.get(programId);
  return store.enrollments.list(programId, filter, page);
}
