import { changedSyncedFields, domainEvent, type Person, SCIM_SYSTEM, stampFieldSources } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { personEventData } from '../people/person-rules.ts';
import { guardedWrite } from '../people/precedence.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { endEngagements } from './deprovision.ts';
import { loadUser } from './user-writes.ts';

/**
 * DELETE /Users/{id}: the SCIM resource goes (a later GET is 404, its userName and externalId are
 * free again), the person stays as a leaver with their history, exactly as after `active: false`.
 * Okta never deletes; Entra deletes after its soft-delete period, when the person has long left.
 * Provisioning the same email again takes the person back (see provisionUser).
 */
export async function deleteUser(
  ctx: TenantContext,
  personId: string,
  precondition: Precondition,
): Promise<void> {
  await readModifyWrite(precondition, async () => {
    const { record, person } = await loadUser(ctx, personId);
    assertVersion(record, precondition);
    const { [SCIM_SYSTEM]: _scim, ...otherIds } = person.externalIds ?? {};
    const keepsIds = Object.keys(otherIds).length > 0;
    const left: Person = {
      ...person,
      status: 'left',
      externalIds: keepsIds ? otherIds : undefined,
      updatedAt: ctx.clock().toISOString(),
      version: person.version + 1,
    };
    const updated: Person = { ...left, fieldSources: stampFieldSources(person, left, SCIM_SYSTEM) };
    // Deprovisioning is the source of truth's: another source's people source refuses it.
    await guardedWrite(ctx, SCIM_SYSTEM, changedSyncedFields(person, updated), async (guard) =>
      ctx.store.people.update(
        person,
        updated,
        person.externalIds && !keepsIds ? ['externalIds'] : [],
        domainEvent('person.updated', { ...personEventData(updated), changed: ['status', 'externalIds'] }),
        [...guard, ...(await ctx.store.scim.userOps(record, undefined))],
      ),
    );
  });
  await endEngagements(ctx, personId);
}
