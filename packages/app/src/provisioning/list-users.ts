import type { ScimUserRecord } from '@tandem/core';
import { type UserAttributes, type UserTerm, workEmails } from '@tandem/integrations';
import type { IndexedPage } from '@tandem/store';
import type { TenantContext } from '../context.ts';

export interface UserQuery {
  terms?: UserTerm[] | undefined;
  /** 1-based. */
  startIndex: number;
  count: number;
}

/**
 * GET /Users. A filter's terms each name at most one user through a unique lookup (userName,
 * SCIM externalId, email), so they are answered by point reads; `and` keeps the users every
 * term names. Without a filter, the organization's users in order of their ids.
 */
export async function listUsers(ctx: TenantContext, query: UserQuery): Promise<IndexedPage<ScimUserRecord>> {
  const { scim } = ctx.store;
  if (!query.terms) return scim.listUsers(query.startIndex, query.count);
  const named = await Promise.all(
    query.terms.map((term) =>
      term.attribute === 'userName'
        ? scim.personIdByUserName(term.value)
        : term.attribute === 'externalId'
          ? scim.personIdByExternalId(term.value)
          : scim.personIdByEmail(term.value),
    ),
  );
  const ids = new Set(named);
  const [only] = ids;
  const found = ids.size === 1 && only ? await scim.getUsers([only]) : [];
  // The email seat is the person's email whatever its type; the filter asks for a work email.
  const matching = found.filter((record) =>
    query.terms!.every(
      (term) =>
        term.attribute !== 'workEmail' ||
        workEmails(record.attributes as UserAttributes).includes(term.value.toLowerCase()),
    ),
  );
  return {
    totalResults: matching.length,
    items: matching.slice(query.startIndex - 1, query.startIndex - 1 + query.count),
  };
}
