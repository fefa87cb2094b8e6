import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { expect, inject, test } from 'vitest';
import { createDynamoClient, ensureTable, tableDefinition } from '../src/index.ts';

test('an old table without the index, stream or TTL is brought up to the shared definition', async () => {
  const client = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
  const tableName = `bootstrap-${Date.now()}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    }),
  );
  expect(await ensureTable(client, tableName)).toBe('updated');
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['GSI1']);
  expect(Table?.StreamSpecification).toMatchObject({
    StreamEnabled: true,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  expect(ttl.TimeToLiveDescription?.AttributeName).toBe(tableDefinition.timeToLiveAttribute);
  expect(await ensureTable(client, tableName)).toBe('unchanged');
  client.destroy();
});
