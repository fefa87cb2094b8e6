import { randomUUID } from 'node:crypto';
import { expect, inject, test } from 'vitest';
import {
  batchWriteAll,
  createDocumentClient,
  createDynamoClient,
  type Db,
  queryAll,
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
