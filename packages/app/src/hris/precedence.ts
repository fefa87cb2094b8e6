import { type FieldSource, mayWriteSynced, type PeopleSource } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** How an HRIS connection signs the person fields it writes. */
export const hrisWriter = (connectionId: string): FieldSource => `hris:${connectionId}`;

/**
 * Why the connection's changes are not applied: another source is the organization's source of
 * truth for people. Undefined when the connection may write. HR systems cannot be told "no", so
 * their changes are ignored, with this reason in the connection's event log.
 */
export async function precedenceRefusal(
  ctx: TenantContext,
  connectionId: string,
): Promise<string | undefined> {
  return refusalBy((await ctx.store.peopleSource.get()).source, connectionId);
}

/** The same, given the people source already read. */
export const refusalBy = (source: PeopleSource['source'], connectionId: string): string | undefined =>
  mayWriteSynced(source, hrisWriter(connectionId)) ? undefined : `people source is ${source}`;
