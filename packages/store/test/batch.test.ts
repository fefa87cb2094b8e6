import { randomUUID } from 'node:crypto';
import { expect, inject, test } from 'vitest';
import {
  batchGetAll,
  batchWriteAll,
  createDocumentClient,
  createDynamoClient,
  type Db,
} from '../src/index.ts';

const db: Db = {
  doc: createDocumentClient(createDynamoClient({ endpoint: inject('dynamoEndpoint') })),
  tableName: inject('tableName'),
};

test('a batch read lists a key asked twice once, and returns its item once', async () => {
  const PK = `PROBE#${randomUUID()}`;
  const keys = Array.from({ length: 150 }, (_, i) => ({ PK, SK: `ITEM#${String(i).padStart(3, '0')}` }));
  await batchWriteAll(
    db,
    keys.map((key) => ({ PutRequest: { Item: { ...key, entity: 'probe' } } })),
  );
  // The repeats fall in the same request of 100 keys as their first: DynamoDB would refuse it whole.
  const asked = [...keys.slice(0, 60), ...keys.slice(0, 30), ...keys.slice(60), { PK, SK: 'ITEM#none' }];
  const items = await batchGetAll(db, asked, true);
  expect(items.map((item) => item.SK).sort()).toEqual(keys.map((key) => key.SK));
});
