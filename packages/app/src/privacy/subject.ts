import { erasedValues, type Person } from '@tandem/core';
import type { Collection } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import type { Subject } from './areas.ts';

async function idsIn(ctx: TenantContext, collection: Collection, field: string, entity: string) {
  const ids: string[] = [];
  for await (const item of await ctx.store.privacy.all(collection))
    if (item.entity === entity && typeof item.value[field] === 'string') ids.push(item.value[field]);
  return ids;
}

/**
 * Where the person's data can be: their relationships (their entries and seats), and the
 * organization's programs, webhook endpoints and HRIS connections (posts, deliveries and employee
 * records are kept per program, per endpoint and per connection). A person not of this organization is a 404, as everywhere.
 */
export async function loadSubject(ctx: TenantContext, personId: string): Promise<Subject> {
  const person: Person = await ctx.store.people.get(personId);
  const [relationshipIds, programIds, endpointIds, connectionIds] = await Promise.all([
    ctx.store.relationships.idsOfPerson(personId),
    idsIn(ctx, { in: 'tenant', prefix: 'PROGRAM#' }, 'id', 'program'),
    idsIn(ctx, { in: 'tenant', prefix: 'WHE#' }, 'id', 'webhookEndpoint'),
    idsIn(ctx, { in: 'tenant', prefix: 'HRISCONN#' }, 'id', 'hrisConnection'),
  ]);
  const enrollmentGoals: string[] = [];
  const runIds: string[] = [];
  for (const programId of programIds) {
    for await (const item of await ctx.store.privacy.all({ in: 'program', programId, prefix: 'ENR#' }))
      if (item.value.personId === personId && Array.isArray(item.value.goals))
        enrollmentGoals.push(...item.value.goals.filter((goal): goal is string => typeof goal === 'string'));
    runIds.push(...(await idsIn(ctx, { in: 'program', programId, prefix: 'RUN#' }, 'id', 'matchRun')));
  }
  return {
    person,
    values: erasedValues(person, enrollmentGoals),
    relationshipIds,
    programIds,
    endpointIds,
    runIds,
    connectionIds,
  };
}
