import {
  changedSyncedFields,
  domainEvent,
  newId,
  type Person,
  type PersonInput,
  stampFieldSources,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertManager, personEventData } from './person-rules.ts';
import { guardedWrite } from './precedence.ts';

/** An admin adds a person: refused (409) while another source is the organization's source of truth. */
export async function createPerson(ctx: TenantContext, input: PersonInput): Promise<Person> {
  const now = ctx.clock().toISOString();
  const id = newId('person');
  const fields = { id, ...input };
  const fieldSources = stampFieldSources({}, fields, 'api');
  const value: Person = {
    ...fields,
    ...(fieldSources ? { fieldSources } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await assertManager(ctx.store, value.id, value.managerId);
  await guardedWrite(ctx, 'api', changedSyncedFields(undefined, value), (guard) =>
    ctx.store.people.create(value, domainEvent('person.created', personEventData(value)), guard),
  );
  return value;
}
