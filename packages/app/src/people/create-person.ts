import { domainEvent, newId, type Person, type PersonInput } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertManager, personEventData } from './person-rules.ts';

export async function createPerson(ctx: TenantContext, input: PersonInput): Promise<Person> {
  const now = ctx.clock().toISOString();
  const value: Person = { id: newId('person'), ...input, createdAt: now, updatedAt: now, version: 1 };
  await assertManager(ctx.store, value.id, value.managerId);
  await ctx.store.people.create(value, domainEvent('person.created', personEventData(value)));
  return value;
}
