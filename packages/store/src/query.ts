import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Cursors } from './cursor.ts';
import type { Db } from './db.ts';
import { toEntity } from './db.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Smallest number of items DynamoDB evaluates per round trip when a filter thins out the results. */
const MIN_BATCH = 100;

/**
 * How many items one page may read when a filter thins them out. Unbounded, a filter that matches
 * little read the whole key range inside one request (a large audit log filtered by one actor:
 * a round trip per hundred entries, thousands of them). A page that reaches it ends short, or
 * empty, with a cursor after the last item read, and the caller pages on while `nextCursor` is set.
 */
export const MAX_READ_PER_PAGE = 1_000;

/**
 * Runs a Query page by page until `limit` items passed the filter, the collection ends or the
 * page has read `MAX_READ_PER_PAGE` items. The cursor is the key of the last item returned (not
 * DynamoDB's LastEvaluatedKey), so a page cut short by `limit` resumes exactly after the last item
 * the client saw; a page cut short by the read bound resumes after the last item it read.
 */
export async function queryPage<T>(
  db: Db,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
  cursors: Cursors,
  binding: string,
  schema?: z.ZodType<T>,
): Promise<Page<T>> {
  const keyNames = ['PK', 'SK', ...(input.IndexName ? ['GSI1PK', 'GSI1SK'] : [])];
  let startKey = page.cursor ? await cursors.decode(page.cursor, binding) : undefined;
  const collected: Record<string, unknown>[] = [];
  /** The page so far, resuming after `last` (an item's key or DynamoDB's last evaluated key). */
  const pageEndingAt = async (last: Record<string, unknown> | undefined): Promise<Page<T>> => ({
    items: collected.map((item) => toEntity(item, schema)),
    nextCursor: last
      ? await cursors.encode(Object.fromEntries(keyNames.map((name) => [name, last[name]])), binding)
      : null,
  });
  let read = 0;
  for (;;) {
    const remaining = page.limit - collected.length;
    const result = await db.doc.send(
      new QueryCommand({
        ...input,
        TableName: db.tableName,
        Limit: input.FilterExpression ? Math.max(remaining, MIN_BATCH) : remaining,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = result.Items ?? [];
    if (items.length >= remaining) {
      const taken = items.slice(0, remaining);
      collected.push(...taken);
      const more = items.length > remaining || result.LastEvaluatedKey !== undefined;
      return pageEndingAt(more ? taken.at(-1) : undefined);
    }
    collected.push(...items);
    if (!result.LastEvaluatedKey) return pageEndingAt(undefined);
    read += result.ScannedCount ?? items.length;
    if (read >= MAX_READ_PER_PAGE) return pageEndingAt(result.LastEvaluatedKey);
    startKey = result.LastEvaluatedKey;
  }
}

/**
 * The page size of reads that follow LastEvaluatedKey when the caller sets none. Without a Limit,
 * DynamoDB Local reads and decodes every item left in the key range for each page and then cuts
 * the page at 1 MB, so paging through a large partition costs the square of its size; with one, a
 * page costs its items. Well below 1 MB of our items, so the Limit, not the size, ends a page.
 */
const DEFAULT_PAGE = 1000;

/** Every item a Query returns, following LastEvaluatedKey (for internal reads that need them all). */
export async function queryAll(
  db: Db,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({ Limit: DEFAULT_PAGE, ...input, TableName: db.tableName, ExclusiveStartKey: start }),
    );
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A Query's items page by page, each page requested as soon as the one before it arrives, so the
 * next round trip overlaps the caller's work on the current page (memory: two pages).
 */
export async function* queryPages(
  db: Db,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  const read = (start?: Record<string, unknown>) => {
    const result = db.doc.send(
      new QueryCommand({ Limit: DEFAULT_PAGE, ...input, TableName: db.tableName, ExclusiveStartKey: start }),
    );
    // Observed now, awaited in turn: a caller that stops early leaves no unhandled rejection.
    result.catch(() => {});
    return result;
  };
  let next: Promise<QueryCommandOutput> | undefined = read();
  while (next) {
    const result: QueryCommandOutput = await next;
    next = result.LastEvaluatedKey ? read(result.LastEvaluatedKey) : undefined;
    yield result.Items ?? [];
  }
}

/** Above every code point, so above every key that starts with a given prefix (keys compare as UTF-8 bytes). */
const HIGHEST_CODE_POINT = '\u{10FFFF}';

/**
 * "Sort key begins with `prefix`" as a BETWEEN, which selects the same items. DynamoDB Local
 * answers begins_with by matching the hex of every sort key of the partition (its key index is not
 * used), so there such a query costs the whole partition, however few items it returns; BETWEEN
 * is a range of the index. Use it on partitions that grow large (an analytics projection, a
 * program's partition). `name` is the sort key attribute.
 */
export function sortKeyPrefix(prefix: string, name = 'SK') {
  return {
    condition: `${name} BETWEEN :prefixFrom AND :prefixTo`,
    values: { ':prefixFrom': prefix, ':prefixTo': `${prefix}${HIGHEST_CODE_POINT}` },
  };
}
