import { domainEventSchema, type StoredEvent } from '@tandem/core';
import { encodeTime } from 'ulid';
import { keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';

export interface EventFilter {
  /** An exact type, a category wildcard (`enrollment.*`) or `*`. */
  type?: string | undefined;
  after?: string | undefined;
}

/** Reads a tenant's outbox, oldest first (event ids are ULIDs, so the sort key is time). */
export class EventsRepository extends TenantRepository {
  async list(filter: EventFilter, page: PageRequest): Promise<Page<StoredEvent>> {
    const pk = keys.event(this.tenantId, '').PK;
    // The first ten ULID characters are the time, so "after T" is a sort-key bound.
    const lowerBound = filter.after
      ? `evt_${encodeTime(Date.parse(filter.after) + 1, 10).toLowerCase()}`
      : undefined;
    const typeFilter =
      !filter.type || filter.type === '*'
        ? {}
        : filter.type.endsWith('.*')
          ? { FilterExpression: 'begins_with(#type, :type)', ExpressionAttributeNames: { '#type': 'type' } }
          : { FilterExpression: '#type = :type', ExpressionAttributeNames: { '#type': 'type' } };
    const typeValue = 'FilterExpression' in typeFilter ? { ':type': filter.type!.replace(/\*$/, '') } : {};
    return queryPage(
      this.db,
      {
        KeyConditionExpression: lowerBound ? 'PK = :pk AND SK >= :after' : 'PK = :pk',
        ...typeFilter,
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(lowerBound ? { ':after': lowerBound } : {}),
          ...typeValue,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|events|${JSON.stringify(filter)}`,
      domainEventSchema,
    );
  }
}
