import { ConflictError, domainEvent, newId, type ScimGroupRecord } from '@tandem/core';
import { parseGroup } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { assertMembers, groupEventData } from './group-writes.ts';

/** POST /Groups: a named set of provisioned users, kept as the identity provider sends it. */
export async function createGroup(ctx: TenantContext, body: unknown): Promise<ScimGroupRecord> {
  const attributes = parseGroup(body);
  if (await ctx.store.scim.groupIdByName(attributes.displayName))
    throw new ConflictError(`A group called ${attributes.displayName} already exists`);
  await assertMembers(ctx, attributes.memberIds);
  const now = ctx.clock().toISOString();
  const group: ScimGroupRecord = {
    id: newId('scimGroup'),
    displayName: attributes.displayName,
    ...(attributes.externalId ? { externalId: attributes.externalId } : {}),
    memberIds: attributes.memberIds,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.scim.writeGroup(undefined, group, domainEvent('scim_group.created', groupEventData(group)));
  return group;
}
