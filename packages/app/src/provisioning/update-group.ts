import { domainEvent, type ScimGroupRecord } from '@tandem/core';
import {
  applyPatch,
  type GroupAttributes,
  groupAsAttributes,
  groupPatchTarget,
  type PatchOperation,
  parseGroup,
} from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { assertMembers, groupEventData, nextGroup } from './group-writes.ts';

/** PUT /Groups/{id} (a body) or PATCH (operations): the group becomes what they describe. */
export type GroupChange = { replace: unknown } | { patch: PatchOperation[] };

export function updateGroup(
  ctx: TenantContext,
  groupId: string,
  change: GroupChange,
  precondition: Precondition,
): Promise<ScimGroupRecord> {
  return readModifyWrite(precondition, async () => {
    const current = await ctx.store.scim.getGroup(groupId);
    assertVersion(current, precondition);
    const attributes: GroupAttributes =
      'replace' in change
        ? parseGroup(change.replace)
        : parseGroup(applyPatch(groupAsAttributes(current), change.patch, groupPatchTarget));
    const added = attributes.memberIds.filter((id) => !current.memberIds.includes(id));
    await assertMembers(ctx, added);
    const next = nextGroup(current, attributes, ctx.clock().toISOString());
    const changed = [
      ...(next.displayName !== current.displayName ? ['displayName'] : []),
      ...(next.externalId !== current.externalId ? ['externalId'] : []),
      ...(JSON.stringify(next.memberIds) !== JSON.stringify(current.memberIds) ? ['members'] : []),
    ];
    await ctx.store.scim.writeGroup(
      current,
      next,
      domainEvent('scim_group.updated', { ...groupEventData(next), changed }),
    );
    return next;
  });
}
