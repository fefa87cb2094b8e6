import { domainEvent, InvalidInputError, type PeopleSource, type PeopleSourceValue } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition } from '../versioned.ts';

/**
 * PUT /v1/people-source: names the organization's source of truth for people. An HRIS source must
 * be a connection of the organization. People already written keep their values and field sources;
 * from now on only the source writes their synced fields.
 */
export async function setPeopleSource(
  ctx: TenantContext,
  source: PeopleSourceValue,
  precondition: Precondition,
): Promise<PeopleSource> {
  const { store } = ctx;
  const current = await store.peopleSource.get();
  assertVersion(current, precondition);
  if (source.startsWith('hris:')) {
    const connectionId = source.slice('hris:'.length);
    const found = await store.hrisConnections.get(connectionId).catch(() => undefined);
    if (!found)
      throw new InvalidInputError(`No HRIS connection ${connectionId} in this organization`, [
        { field: '/source', message: 'must name an HRIS connection of this organization' },
      ]);
  }
  if (current.source === source && current.version > 0) return current;
  const next: PeopleSource = {
    source,
    updatedAt: ctx.clock().toISOString(),
    version: current.version + 1,
  };
  await store.peopleSource.set(
    current,
    next,
    domainEvent('people_source.updated', { source, previous: current.source }),
  );
  return next;
}
