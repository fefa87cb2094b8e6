import type { ScimGroupRecord } from '@tandem/core';
import type { GroupTerm } from '@tandem/integrations';
import type { IndexedPage } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** GET /Groups: by `displayName eq` (a unique, case-insensitive lookup), or all in order of their ids. */
export async function listGroups(
  ctx: TenantContext,
  query: { terms?: GroupTerm[] | undefined; startIndex: number; count: number },
): Promise<IndexedPage<ScimGroupRecord>> {
  const { scim } = ctx.store;
  if (!query.terms) return scim.listGroups(query.startIndex, query.count);
  const ids = new Set(await Promise.all(query.terms.map((term) => scim.groupIdByName(term.value))));
  const [only] = ids;
  const found = ids.size === 1 && only ? [await scim.getGroup(only)] : [];
  return {
    totalResults: found.length,
    items: found.slice(query.startIndex - 1, query.startIndex - 1 + query.count),
  };
}
