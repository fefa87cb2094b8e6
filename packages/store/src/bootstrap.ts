import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './table.ts';

const stringAttribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });

const gsiCreate = (index: (typeof tableDefinition.globalSecondaryIndexes)[number]) => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

const allKeyAttributes = () => [
  stringAttribute(tableDefinition.partitionKey),
  stringAttribute(tableDefinition.sortKey),
  ...tableDefinition.globalSecondaryIndexes.flatMap((i) => [
    stringAttribute(i.partitionKey),
    stringAttribute(i.sortKey),
  ]),
];

/**
 * Creates the table if it is missing, or brings an existing one up to the shared definition
 * (adds missing GSIs, enables TTL and the stream). Used by `npm start` and the test setup;
 * in AWS the same definition is deployed by CDK.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  let existing: Awaited<ReturnType<typeof describe>> | undefined;
  try {
    existing = await describe(client, tableName);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }

  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: allKeyAttributes(),
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map(gsiCreate),
        StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
    await enableTtl(client, tableName);
    return 'created';
  }

  let changed = false;
  const present = new Set(existing.GlobalSecondaryIndexes?.map((i) => i.IndexName));
  for (const index of tableDefinition.globalSecondaryIndexes) {
    if (present.has(index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: allKeyAttributes(),
        GlobalSecondaryIndexUpdates: [{ Create: gsiCreate(index) }],
      }),
    );
    changed = true;
  }
  if (!existing.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
      }),
    );
    changed = true;
  }
  if (await enableTtl(client, tableName)) changed = true;
  return changed ? 'updated' : 'unchanged';
}

async function describe(client: DynamoDBClient, tableName: string) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table) throw new ResourceNotFoundException({ message: tableName, $metadata: {} });
  return Table;
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return false;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: tableDefinition.timeToLiveAttribute },
    }),
  );
  return true;
}
