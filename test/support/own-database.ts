import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '@tandem/local';
import { createDocumentClient, createDynamoClient, type Db, ensureTable } from '@tandem/store';

/**
 * The worker's idle DynamoDB Local: a file that is done with its database hands the JVM on to the
 * next file of the same worker (files share their worker's modules) instead of stopping it. A JVM
 * of its own costs a file a start and then runs its first thousands of requests before its
 * compiler catches up; the next file gets one that is already warm, with an empty database.
 */
let idle: RunningDynamoDbLocal | undefined;
let tables = 0;

/**
 * The worker's JVMs must not outlive it, however it ends: a failed hook may skip stop(), a worker
 * ends holding its idle one, and vitest ends its workers with SIGTERM, which runs no exit handlers.
 */
const started = new Set<RunningDynamoDbLocal>();
const killStarted = () => {
  for (const dynamo of started) dynamo.process.kill('SIGKILL');
};
process.once('exit', killStarted);
process.once('SIGTERM', () => {
  killStarted();
  // The listener is gone now: the signal again ends the worker as it would have.
  process.kill(process.pid, 'SIGTERM');
});

async function startJvm(): Promise<RunningDynamoDbLocal> {
  const dynamo = await startDynamoDbLocal();
  started.add(dynamo);
  dynamo.process.once('exit', () => started.delete(dynamo));
  return dynamo;
}

/**
 * A DynamoDB Local of the calling file's own (not shared with the other worker's files), with a
 * fresh table of Tandem's shape: for files whose stream readers or scans must see only their own
 * writes. A table created on the run's shared DynamoDB Local once it holds the earlier files' data
 * answers every operation many times slower than the first table does (probe in
 * docs/benchmarks.md, "Tests"), which made these files ten times as slow late in a run; a database
 * whose only table is the file's own is as fast late as early, and its one SQLite thread does not
 * queue behind the other worker's requests. stop() deletes the table, which leaves the database
 * empty again for the next file.
 */
export async function ownDatabase() {
  const dynamo = idle ?? (await startJvm());
  idle = undefined;
  const tableName = `tandem-own-${++tables}`;
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, tableName);
  const db: Db = { doc: createDocumentClient(client), tableName };
  return {
    client,
    db,
    endpoint: dynamo.endpoint,
    async stop() {
      const emptied = await client.send(new DeleteTableCommand({ TableName: tableName })).then(
        () => true,
        () => false,
      );
      client.destroy();
      if (emptied && !idle) idle = dynamo;
      else await dynamo.stop();
    },
  };
}
