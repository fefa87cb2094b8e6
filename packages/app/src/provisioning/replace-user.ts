import { parseUser } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { loadUser, type ProvisionedUser, writeUser } from './user-writes.ts';

/**
 * PUT /Users/{id}: the User becomes exactly what is sent, except that a User sent without
 * `active` keeps its status (Okta's profile pushes omit it; deactivating takes an explicit false).
 */
export function replaceUser(
  ctx: TenantContext,
  personId: string,
  body: unknown,
  precondition: Precondition,
): Promise<ProvisionedUser> {
  return readModifyWrite(precondition, async () => {
    const current = await loadUser(ctx, personId);
    assertVersion(current.record, precondition);
    const user = parseUser(body);
    const attributes = { ...user, active: user.active ?? current.record.attributes.active ?? true };
    return writeUser(ctx, current, {
      ...current.record,
      userName: user.userName,
      attributes,
      updatedAt: ctx.clock().toISOString(),
      version: current.record.version + 1,
    });
  });
}
