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
 * Both integration projects run this setup in vitest's main process; they share one database (a
 * second JVM would cost its start and its warm-up for the three files of the isolated project).
 * Held on globalThis because each project may load this module on its own.
 */
const SHARED = Symbol.for('tandem.test.dynamodb-local');
type Shared = { running: Promise<RunningDynamoDbLocal>; projects: number };

/** One in-memory DynamoDB Local per test run; every test isolates itself with its own tenant. */
export default async function setup(project: TestProject) {
  const registry = globalThis as { [SHARED]?: Shared };
  registry[SHARED] ??= { running: start(), projects: 0 };
  const shared = registry[SHARED];
  shared.projects++;
  const dynamo = await shared.running;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('tableName', TEST_TABLE);
  return async () => {
    if (--shared.projects > 0) return;
    delete registry[SHARED];
    await dynamo.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tableName: string;
  }
}
