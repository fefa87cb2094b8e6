import { ConflictError, domainEvent, type Resource } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { programsRequiring } from '../training/required-training.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/**
 * Archives a resource: it leaves the participants' library, and its completions stay on record.
 * A module some program requires is refused (409): nobody could complete it any more. Archiving
 * twice is harmless.
 */
export function archiveResource(
  ctx: TenantContext,
  resourceId: string,
  precondition: Precondition,
): Promise<Resource> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.resources.get(resourceId);
    assertVersion(current, precondition);
    if (current.status === 'archived') return current;
    const requiring = await programsRequiring(store, current.id);
    if (requiring.length)
      throw new ConflictError(
        `Programs ${requiring.join(', ')} require this module; remove it from their requiredTraining first`,
      );
    return store.resources.archive(
      current,
      ctx.clock().toISOString(),
      domainEvent('resource.archived', { resourceId: current.id }),
    );
  });
}
