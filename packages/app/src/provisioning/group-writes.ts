import { InvalidInputError, type ScimGroupRecord } from '@tandem/core';
import type { GroupAttributes } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';

/** Members are provisioned users of this organization; anyone else is refused, naming them. */
export async function assertMembers(ctx: TenantContext, memberIds: string[]): Promise<void> {
  const known = new Set((await ctx.store.scim.getUsers(memberIds)).map((record) => record.personId));
  const unknown = memberIds.filter((id) => !known.has(id));
  if (unknown.length)
    throw new InvalidInputError(`No provisioned user ${unknown.join(', ')} in this organization`, [
      { field: '/members', message: `${unknown.join(', ')} are not users of this organization` },
    ]);
}

export const groupEventData = (group: ScimGroupRecord) => ({
  groupId: group.id,
  displayName: group.displayName,
  memberCount: group.memberIds.length,
});

export function nextGroup(
  current: ScimGroupRecord,
  attributes: GroupAttributes,
  now: string,
): ScimGroupRecord {
  return {
    ...current,
    displayName: attributes.displayName,
    externalId: attributes.externalId,
    memberIds: attributes.memberIds,
    updatedAt: now,
    version: current.version + 1,
  };
}
