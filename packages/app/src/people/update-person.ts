import { domainEvent, type Person, person, type personPatch } from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { assertManager, personEventData } from './person-rules.ts';

export function updatePerson(
  ctx: TenantContext,
  personId: string,
  patch: z.infer<typeof personPatch>,
  precondition: Precondition,
): Promise<Person> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.people.get(personId),
    schema: person,
    check: () => assertManager(store, personId, patch.managerId ?? undefined),
    save: (current, updated, removed) =>
      store.people.update(
        current,
        updated,
        removed,
        domainEvent('person.updated', { ...personEventData(updated), changed: Object.keys(patch) }),
      ),
  });
}
