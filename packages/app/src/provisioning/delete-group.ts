import { domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { groupEventData } from './group-writes.ts';

/** DELETE /Groups/{id}: the group goes; its members are untouched. */
export async function deleteGroup(
  ctx: TenantContext,
  groupId: string,
  precondition: Precondition,
): Promise<void> {
  await readModifyWrite(precondition, async () => {
    const current = await ctx.store.scim.getGroup(groupId);
    assertVersion(current, precondition);
    await ctx.store.scim.writeGroup(
      current,
      undefined,
      domainEvent('scim_group.deleted', groupEventData(current)),
    );
  });
}
