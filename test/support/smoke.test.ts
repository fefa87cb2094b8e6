import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, tableDefinition } from '@tandem/store';
import { expect, inject, test } from 'vitest';

test('the test table matches the shared definition', async () => {
  const client = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
  const { Table } = await client.send(new DescribeTableCommand({ TableName: inject('tableName') }));
  expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['GSI1']);
  expect(Table?.StreamSpecification?.StreamViewType).toBe(tableDefinition.streamViewType);
  client.destroy();
});
