import {
  applyPatch,
  canonicalName,
  type PatchOperation,
  parseUser,
  userPatchTarget,
} from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { loadUser, type ProvisionedUser, writeUser } from './user-writes.ts';

/**
 * PATCH /Users/{id}: every operation applies or none does (RFC 7644 §3.5.2): they are applied to
 * a copy, the result is validated as a whole, and only then written.
 */
export function patchUser(
  ctx: TenantContext,
  personId: string,
  operations: PatchOperation[],
  precondition: Precondition,
): Promise<ProvisionedUser> {
  return readModifyWrite(precondition, async () => {
    const current = await loadUser(ctx, personId);
    assertVersion(current.record, precondition);
    const user = parseUser(applyPatch(current.record.attributes, operations, userPatchTarget(canonicalName)));
    return writeUser(ctx, current, {
      ...current.record,
      userName: user.userName,
      attributes: user,
      updatedAt: ctx.clock().toISOString(),
      version: current.record.version + 1,
    });
  });
}
