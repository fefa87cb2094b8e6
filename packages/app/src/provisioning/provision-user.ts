import { ConflictError, PeopleSourceConflict } from '@tandem/core';
import { parseUser, personFieldsOf } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { type ProvisionedUser, writeNewUser } from './user-writes.ts';

/**
 * POST /Users: a new person, or an existing person without a SCIM record taken over by email.
 * The new person is written first and its transaction's uniqueness conditions decide: an initial
 * push of thousands of new users then costs one transaction each, and only a refused one looks
 * up whether the email names a person to take over.
 */
export async function provisionUser(ctx: TenantContext, body: unknown): Promise<ProvisionedUser> {
  const user = parseUser(body);
  try {
    return await writeNewUser(ctx, user);
  } catch (error) {
    if (!(error instanceof ConflictError) || error instanceof PeopleSourceConflict) throw error;
    const { scim, people } = ctx.store;
    const email = personFieldsOf(user).email;
    const [taken, existingId] = await Promise.all([
      scim.personIdByUserName(user.userName),
      scim.personIdByEmail(email),
    ]);
    if (taken) throw new ConflictError(`A user with the userName ${user.userName} already exists`);
    if (!existingId || (await scim.findUser(existingId))) throw error;
    return writeNewUser(ctx, user, await people.get(existingId));
  }
}
