import {
  changedSyncedFields,
  domainEvent,
  type Person,
  person,
  type personPatch,
  syncedPersonFields,
} from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { endEngagements } from '../provisioning/deprovision.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { assertManager, personEventData } from './person-rules.ts';
import { guardedWrite } from './precedence.ts';

/**
 * An admin changes a person. Synced fields (name, email, department, …) are refused with 409
 * while another source is the organization's source of truth; the rest stays the admin's to edit.
 * A leaver (`status: left`) is deprovisioned as SCIM and the HR systems do it: their ongoing
 * relationships dissolve and their enrollments are withdrawn. Any later change of a leaver runs
 * that again, so a retried request finishes what an interrupted one left.
 */
export async function updatePerson(
  ctx: TenantContext,
  personId: string,
  patch: z.infer<typeof personPatch>,
  precondition: Precondition,
): Promise<Person> {
  const { store } = ctx;
  const updated = await mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.people.get(personId),
    schema: person,
    // The synced fields this patch changes are now the API's (a removed one has no source).
    implied: (current) => {
      const stamped = syncedPersonFields.filter(
        (field) =>
          field in patch && JSON.stringify(patch[field] ?? undefined) !== JSON.stringify(current[field]),
      );
      return stamped.length
        ? { fieldSources: Object.fromEntries(stamped.map((f) => [f, patch[f] === null ? null : 'api'])) }
        : {};
    },
    check: () => assertManager(store, personId, patch.managerId ?? undefined),
    save: (current, updated, removed) =>
      guardedWrite(ctx, 'api', changedSyncedFields(current, updated), (guard) =>
        store.people.update(
          current,
          updated,
          removed,
          domainEvent('person.updated', { ...personEventData(updated), changed: Object.keys(patch) }),
          guard,
        ),
      ),
  });
  if (updated.status === 'left') await endEngagements(ctx, updated.id);
  return updated;
}
