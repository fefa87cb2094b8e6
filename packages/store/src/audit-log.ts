import { type AuditEntry, auditEntry, auditIdBound } from '@tandem/core';
import { keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';

export interface AuditFilter {
  actor?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  operation?: string | undefined;
  outcome?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * A tenant's audit log: read only. Nothing here writes, updates or deletes an entry; entries are
 * written by the transactions they describe and leave by TTL.
 */
export class AuditLogRepository extends TenantRepository {
  /** Newest first. The time range is a key condition; the other filters thin each page. */
  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const partition = keys.auditEntry(this.tenantId, '').PK;
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':pk': partition,
      ':from': filter.from ? auditIdBound(filter.from, 'from') : 'aud_',
      ':to': filter.to ? auditIdBound(filter.to, 'to') : 'aud_~',
    };
    // A range that ends before it starts holds nothing; DynamoDB refuses such a BETWEEN outright.
    if ((values[':from'] as string) > (values[':to'] as string)) return { items: [], nextCursor: null };
    const test = (attribute: string, value: string | undefined, form: 'eq' | 'contains') => {
      if (value === undefined) return;
      const n = `#a${conditions.length}`;
      const v = `:a${conditions.length}`;
      names[n] = attribute;
      values[v] = value;
      conditions.push(form === 'eq' ? `${n} = ${v}` : `contains(${n}, ${v})`);
    };
    test('_actorId', filter.actor, 'eq');
    test('operation', filter.operation, 'eq');
    test('outcome', filter.outcome, 'eq');
    test('_resourceTypes', filter.resourceType, 'contains');
    test('_resourceIds', filter.resourceId, 'contains');
    const binding = `${this.tenantId}|audit|${JSON.stringify(filter)}`;
    const result = await queryPage<Record<string, unknown>>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ScanIndexForward: false,
        ...(conditions.length
          ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: values,
      },
      page,
      this.cursors,
      binding,
    );
    return { items: result.items.map((item) => auditEntry.parse(item)), nextCursor: result.nextCursor };
  }

  /** Every entry that matches, page by page, for streaming exports. */
  async *all(filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditEntry> {
    let cursor: string | undefined;
    do {
      const page = await this.list(filter, { limit: pageSize, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}
