import { type RunningDynamoDbLocal, startDynamoDbLocal } from '@tandem/local';
import { createDynamoClient, ensureTable } from '@tandem/store';
import type { TestProject } from 'vitest/node';

export const TEST_TABLE = 'tandem-test';

async function start(): Promise<RunningDynamoDbLocal> {
  const dynamo = await startDynamoDbLocal();
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, TEST_TABLE);
  client.destroy();
  return dynamo;
}

/**
 * Both integration projects run this setup in vitest's main process; they share the databases (a
 * JVM of the isolated project's own would cost its start and its warm-up for its three files).
 * Held on globalThis because each project may load this module on its own.
 */
const SHARED = Symbol.for('tandem.test.dynamodb-local');
type Shared = { running: Promise<RunningDynamoDbLocal[]>; projects: number };

/**
 * One in-memory DynamoDB Local per worker (test/support/shared-dynamodb.ts picks the worker's), as
 * DynamoDB Local does its database work on one thread; every test isolates itself with its own
 * tenant. `dynamoEndpoint` is the first: for the packages' own tests, which keep to their own items.
 */
export default async function setup(project: TestProject) {
  const registry = globalThis as { [SHARED]?: Shared };
  // TANDEM_TEST_DATABASES=1: one for the whole run, as before (a machine short of memory; A/B runs).
  const count = Number(process.env.TANDEM_TEST_DATABASES) || Number(project.globalConfig.maxWorkers) || 1;
  registry[SHARED] ??= { running: Promise.all(Array.from({ length: count }, start)), projects: 0 };
  const shared = registry[SHARED];
  shared.projects++;
  const databases = await shared.running;
  project.provide('dynamoEndpoint', databases[0]!.endpoint);
  project.provide(
    'dynamoEndpoints',
    databases.map((dynamo) => dynamo.endpoint),
  );
  project.provide('tableName', TEST_TABLE);
  return async () => {
    if (--shared.projects > 0) return;
    delete registry[SHARED];
    await Promise.all(databases.map((dynamo) => dynamo.stop()));
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    dynamoEndpoints: string[];
    tableName: string;
  }
}
