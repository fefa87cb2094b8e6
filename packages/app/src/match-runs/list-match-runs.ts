import type { MatchRun } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** A page of a program's runs, newest first; a program that is not this tenant's is a 404. */
export async function listMatchRuns(
  { store }: TenantContext,
  programId: string,
  page: PageRequest,
): Promise<Page<MatchRun>> {
  await store.programs.get(programId);
  return store.matchRuns.list(programId, page);
}
