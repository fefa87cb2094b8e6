import { randomUUID } from 'node:crypto';
import { expect, inject, test } from 'vitest';
import {
  batchWriteAll,
  CursorCodec,
  createDocumentClient,
  createDynamoClient,
  type Db,
  MAX_READ_PER_PAGE,
  queryAll,
  queryPage,
  sortKeyPrefix,
} from '../src/index.ts';

const db: Db = {
  doc: createDocumentClient(createDynamoClient({ endpoint: inject('dynamoEndpoint') })),
  tableName: inject('tableName'),
};

const put = (pk: string, sortKeys: string[]) =>
  batchWriteAll(
    db,
    sortKeys.map((SK) => ({ PutRequest: { Item: { PK: pk, SK, entity: 'probe' } } })),
  );

const sortKeysOf = async (pk: string, prefix: string) => {
  const range = sortKeyPrefix(prefix);
  const items = await queryAll(db, {
    KeyConditionExpression: `PK = :pk AND ${range.condition}`,
    ExpressionAttributeValues: { ':pk': pk, ...range.values },
  });
  return items.map((item) => item.SK);
};

test('sortKeyPrefix selects exactly the sort keys that begin with the prefix', async () => {
  const pk = `TEST#query#${randomUUID()}`;
  // Neighbours on both sides, the prefix itself, the next character, and keys past the BMP.
  const inside = [
    'SUM#department#',
    'SUM#department#(none)',
    'SUM#department#Zoë',
    'SUM#department#🚀 Launch',
  ];
  const outside = ['SUM#department', 'SUM#department$', 'SUM#departments#x', 'SUM#all', 'REC#department#x'];
  await put(pk, [...inside, ...outside]);
  expect(await sortKeysOf(pk, 'SUM#department#')).toEqual(
    // DynamoDB orders sort keys by their UTF-8 bytes.
    [...inside].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
  );
});

test('queryAll reads a partition larger than one page, every item once', async () => {
  const pk = `TEST#query#${randomUUID()}`;
  const sortKeys = Array.from({ length: 1_500 }, (_, i) => `ITEM#${String(i).padStart(5, '0')}`);
  await put(pk, sortKeys);
  expect(await sortKeysOf(pk, 'ITEM#')).toEqual(sortKeys);
});

test('a filtered page reads a bounded number of items and resumes after the last one it read', async () => {
  const pk = `TEST#query#${randomUUID()}`;
  // Two matches, far apart: one past the first page's read bound, one near the end.
  const total = MAX_READ_PER_PAGE * 2 + 500;
  const sortKeys = Array.from({ length: total }, (_, i) => `ITEM#${String(i).padStart(5, '0')}`);
  const matching = new Set([sortKeys[MAX_READ_PER_PAGE + 200]!, sortKeys[total - 3]!]);
  await batchWriteAll(
    db,
    sortKeys.map((SK) => ({
      PutRequest: { Item: { PK: pk, SK, name: SK, colour: matching.has(SK) ? 'red' : 'grey' } },
    })),
  );
  const cursors = new CursorCodec('query-test-cursor-secret-0123456789');
  let queries = 0;
  const counting: Db = {
    tableName: db.tableName,
    doc: {
      send: (command: never) => {
        queries++;
        return db.doc.send(command);
      },
    } as unknown as Db['doc'],
  };
  const pageAt = (cursor?: string) =>
    queryPage<{ name: string }>(
      counting,
      {
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: 'colour = :red',
        ExpressionAttributeValues: { ':pk': pk, ':red': 'red' },
        ProjectionExpression: 'PK, SK, #name, colour',
        ExpressionAttributeNames: { '#name': 'name' },
      },
      { limit: 25, ...(cursor ? { cursor } : {}) },
      cursors,
      `probe|${pk}`,
    );
  const found: string[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    queries = 0;
    const page = await pageAt(cursor);
    // Each page stops at the bound (its last round trip may pass it by less than one batch).
    expect(queries).toBeLessThanOrEqual(MAX_READ_PER_PAGE / 100 + 1);
    pages.push(page.items.length);
    found.push(...page.items.map((item) => item.name));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(found).toEqual([...matching]);
  // The first page read its bound and found nothing yet: short pages are pages, not the end.
  expect(pages[0]).toBe(0);
  expect(pages.length).toBe(3);
});
