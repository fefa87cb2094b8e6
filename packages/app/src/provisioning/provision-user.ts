import { ConflictError } from '@tandem/core';
import { parseUser, personFieldsOf } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { type ProvisionedUser, writeNewUser } from './user-writes.ts';

/** POST /Users: a new person, or an existing person without a SCIM record taken over by email. */
export async function provisionUser(ctx: TenantContext, body: unknown): Promise<ProvisionedUser> {
  const user = parseUser(body);
  const { scim, people } = ctx.store;
  if (await scim.personIdByUserName(user.userName))
    throw new ConflictError(`A user with the userName ${user.userName} already exists`);
  const existingId = await scim.personIdByEmail(personFieldsOf(user).email);
  if (existingId && (await scim.findUser(existingId)))
    throw new ConflictError(`A user with the email ${personFieldsOf(user).email} already exists`);
  return writeNewUser(ctx, user, existingId ? await people.get(existingId) : undefined);
}
