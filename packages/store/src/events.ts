import { domainEventSchema, type StoredEvent } from '@tandem/core';
import type { CursorCodec } from './cursor.ts';
import type { Db } from './db.ts';
import { keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';

/** Reads a tenant's outbox, oldest first (event ids are ULIDs). */
export class EventsRepository {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly cursors: CursorCodec,
  ) {}

  async list(page: PageRequest): Promise<Page<StoredEvent>> {
    return queryPage<StoredEvent>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.event(this.tenantId, '').PK },
      },
      page,
      this.cursors,
      `${this.tenantId}|events`,
      domainEventSchema,
    );
  }
}
