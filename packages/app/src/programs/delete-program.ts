import { assertDeletable, domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** Only a draft without enrollments is deleted; anything else is archived instead. */
export function deleteProgram(
  ctx: TenantContext,
  programId: string,
  precondition: Precondition,
): Promise<void> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.programs.get(programId);
    assertVersion(current, precondition);
    assertDeletable(current);
    await store.programs.deleteDraft(current, domainEvent('program.deleted', { programId }));
  });
}
