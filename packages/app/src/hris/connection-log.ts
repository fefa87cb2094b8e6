import type { HrisLogEntry } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** A connection's event log, newest first; an unknown (or another tenant's) connection is a 404. */
export async function connectionLog(
  ctx: TenantContext,
  connectionId: string,
  page: PageRequest,
): Promise<Page<HrisLogEntry>> {
  await ctx.store.hrisConnections.get(connectionId);
  return ctx.store.hrisInbox.listLog(connectionId, page);
}
