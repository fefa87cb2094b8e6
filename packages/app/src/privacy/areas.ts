import { mentions, type Person, scrubValue } from '@tandem/core';
import type { Collection, StoredItem, WriteOp } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/**
 * Who an export or erasure is about, and where their data can be: read once per call. The
 * collections are listed in key order, so an erasure's cursor means the same on a repeated call.
 */
export interface Subject {
  person: Person;
  /** What replaces the person's names, email and external ids wherever they appear in text. */
  values: [string, string][];
  relationshipIds: string[];
  programIds: string[];
  endpointIds: string[];
  /** Match runs of the organization's programs: their proposals explain pairs in the members' words. */
  runIds: string[];
  /** HRIS connections: each keeps what its source last said of every employee. */
  connectionIds: string[];
}

export type Fields = Record<string, unknown>;

/** One page of an area's erasure: the rewrites (at most a page's worth) and where to go on. */
export interface ErasurePage {
  ops: WriteOp[];
  /** Undefined when the area is done. */
  next?: string | undefined;
  /** Rewrites the area made through a repository of its own (a calendar feed's revocation). */
  committed?: number;
}

/**
 * One area of what Tandem holds about a person. `collect` yields the records of its export
 * section; `erase` pseudonymizes one page of them (idempotently: a page already erased yields no
 * ops), so an erasure of any size runs as bounded transactions that a repeated call resumes.
 * A feature that keeps something about people adds one area to `privacyAreas`.
 */
export interface PrivacyArea {
  name: string;
  collect?(ctx: TenantContext, subject: Subject): AsyncIterable<Fields>;
  erase?(ctx: TenantContext, subject: Subject, cursor: string | undefined): Promise<ErasurePage>;
  /**
   * Its erasure removes text the others search for (Subject.values: goals quoted in match
   * explanations), so it runs after them: a resumed erasure reads the values again from what is
   * still stored.
   */
  holdsErasedValues?: boolean;
}

export const relationshipCollections = (s: Subject): Collection[] =>
  s.relationshipIds.map((relationshipId) => ({ in: 'relationship', relationshipId }));

export const programCollections = (s: Subject, prefix: string): Collection[] =>
  s.programIds.map((programId) => ({ in: 'program', programId, prefix }));

/** The records of `collections` that `keep` selects, one page in memory at a time. */
export async function* recordsOf(
  ctx: TenantContext,
  collections: Collection[],
  keep: (item: StoredItem) => boolean,
  show: (item: StoredItem) => Fields = (item) => withoutInternals(item.value),
): AsyncGenerator<Fields> {
  for (const collection of collections)
    for await (const item of await ctx.store.privacy.all(collection)) if (keep(item)) yield show(item);
}

/** Storage internals (`_…`, the TTL's epoch seconds) are not the person's data. */
export function withoutInternals(value: Fields): Fields {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([name, v]) => !name.startsWith('_') && !(name === 'expiresAt' && typeof v === 'number'),
    ),
  );
}

/**
 * One page of an erasure that walks several collections in turn. The cursor names the
 * collection and the page within it.
 */
export async function erasePageOf(
  ctx: TenantContext,
  collections: Collection[],
  cursor: string | undefined,
  rewrite: (item: StoredItem) => WriteOp[] | Promise<WriteOp[]>,
): Promise<ErasurePage> {
  const at = cursor ? (JSON.parse(cursor) as { i: number; page?: string }) : { i: 0 };
  const collection = collections[at.i];
  if (!collection) return { ops: [] };
  const page = await ctx.store.privacy.page(collection, at.page);
  const ops = (await Promise.all(page.items.map(rewrite))).flat();
  const next = page.next ? { i: at.i, page: page.next } : { i: at.i + 1 };
  return { ops, next: next.i < collections.length ? JSON.stringify(next) : undefined };
}

/**
 * The rewrite of one item: `replace` and `drop` name the fields that are the person's own (their
 * free text), and every other text field has the person's names and email replaced where it
 * mentions them. No op when the item holds nothing of them any more.
 */
export async function scrub(
  ctx: TenantContext,
  subject: Subject,
  item: StoredItem,
  own: { replace?: Fields; drop?: string[] } = {},
): Promise<WriteOp[]> {
  const drop = (own.drop ?? []).filter((field) => item.value[field] !== undefined);
  const set: Fields = {};
  for (const [field, value] of Object.entries(own.replace ?? {}))
    if (item.value[field] !== undefined && item.value[field] !== value) set[field] = value;
  for (const [field, value] of Object.entries(item.value)) {
    if (field in set || drop.includes(field) || field === 'version') continue;
    const scrubbed = scrubValue(value, subject.values);
    if (scrubbed !== undefined) set[field] = scrubbed;
  }
  if (Object.keys(set).length === 0 && drop.length === 0) return [];
  // A rewritten entity is a new version: ETags change, and writers holding the old one get 412.
  if (typeof item.value.version === 'number') set.version = item.value.version + 1;
  return [await ctx.store.privacy.rewriteOp(item, set, drop)];
}

/** Whether an item is the person's own (written by them, or their record). */
export const by = (subject: Subject, field: string) => (item: StoredItem) =>
  item.value[field] === subject.person.id;

export const ofEntity =
  (...entities: string[]) =>
  (item: StoredItem) =>
    entities.includes(item.entity);

export const mentioning = (subject: Subject) => (item: StoredItem) =>
  mentions(item.value, subject.person.id, subject.values);
