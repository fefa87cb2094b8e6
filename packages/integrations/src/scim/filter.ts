import { type Filter, parse } from 'scim2-parse-filter';
import { ScimError } from './errors.ts';

/**
 * The filters identity providers send (Entra documents `eq` and `and` only, on these attributes;
 * Okta uses the same subset). Each term names at most one resource through a unique lookup, so
 * a filter is answered by reads of lookup items, never by scanning the organization.
 */
export type UserTerm =
  | { attribute: 'userName'; value: string }
  | { attribute: 'externalId'; value: string }
  | { attribute: 'workEmail'; value: string };

export type GroupTerm = { attribute: 'displayName'; value: string };

const unsupported = (filter: string, why: string) =>
  new ScimError(400, 'invalidFilter', `Unsupported filter ${JSON.stringify(filter)}: ${why}`);

function conjuncts(filter: string): Filter[] {
  let ast: Filter;
  try {
    ast = parse(filter);
  } catch (error) {
    throw new ScimError(
      400,
      'invalidFilter',
      `Malformed filter ${JSON.stringify(filter)}: ${(error as Error).message}`,
    );
  }
  const flat = (f: Filter): Filter[] => (f.op === 'and' && 'filters' in f ? f.filters.flatMap(flat) : [f]);
  return flat(ast);
}

const stringEq = (f: Filter, filter: string): { path: string; value: string } => {
  if (f.op !== 'eq' || !('compValue' in f) || typeof f.compValue !== 'string')
    throw unsupported(filter, 'only `eq` with a string value, joined by `and`, is supported');
  return { path: f.attrPath.toLowerCase(), value: f.compValue };
};

/** `userName eq`, `externalId eq`, `emails[type eq "work"].value eq`, joined by `and`; anything else is 400. */
export function parseUserFilter(filter: string): UserTerm[] {
  const parts = conjuncts(filter);
  const terms: UserTerm[] = [];
  // The parser splits `emails[type eq "work"].value eq "x"` into the value path and `emails.value eq "x"`.
  const workScope = parts.findIndex(
    (f) =>
      f.op === '[]' &&
      'valFilter' in f &&
      f.attrPath.toLowerCase() === 'emails' &&
      f.valFilter.op === 'eq' &&
      'compValue' in f.valFilter &&
      f.valFilter.attrPath.toLowerCase() === 'type' &&
      f.valFilter.compValue === 'work',
  );
  for (const [index, part] of parts.entries()) {
    if (index === workScope) continue;
    const { path, value } = stringEq(part, filter);
    if (path === 'username') terms.push({ attribute: 'userName', value });
    else if (path === 'externalid') terms.push({ attribute: 'externalId', value });
    else if (path === 'emails.value' && workScope >= 0) terms.push({ attribute: 'workEmail', value });
    else
      throw unsupported(
        filter,
        `${path} is not filterable; use userName, externalId or emails[type eq "work"].value`,
      );
  }
  if (workScope >= 0 && !terms.some((t) => t.attribute === 'workEmail'))
    throw unsupported(filter, 'emails[type eq "work"] needs `.value eq "…"`');
  return terms;
}

/** `displayName eq` (Entra's only group filter), joined by `and`. */
export function parseGroupFilter(filter: string): GroupTerm[] {
  return conjuncts(filter).map((part) => {
    const { path, value } = stringEq(part, filter);
    if (path === 'displayname') return { attribute: 'displayName', value };
    throw unsupported(filter, `${path} is not filterable; use displayName`);
  });
}
