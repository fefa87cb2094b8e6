import { freePort, startDynamoDbLocal } from '@tandem/local';
import { createDynamoClient, ensureTable } from '@tandem/store';
import type { TestProject } from 'vitest/node';

export const TEST_TABLE = 'tandem-test';

/** One in-memory DynamoDB Local per test run; every test isolates itself with its own tenant. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, TEST_TABLE);
  client.destroy();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('tableName', TEST_TABLE);
  return () => dynamo.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tableName: string;
  }
}
