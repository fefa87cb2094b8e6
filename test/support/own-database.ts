import { freePort, startDynamoDbLocal } from '@tandem/local';
import { createDocumentClient, createDynamoClient, type Db, ensureTable } from '@tandem/store';

const TABLE = 'tandem-own';

/**
 * A DynamoDB Local of the calling file's own (a JVM of its own), with Tandem's table: for files
 * whose stream readers or scans must see only their own writes. A table created on the run's
 * shared DynamoDB Local once it holds the earlier files' data answers every operation many times
 * slower than the first table does (probe in docs/benchmarks.md, "Tests"), which made these files
 * ten times as slow late in a run; a database of their own is as fast late as early, and its
 * one SQLite thread does not queue behind the other worker's requests.
 */
export async function ownDatabase() {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  // The worker process may end without stop() (a failed hook): the JVM must not outlive it.
  const killOnExit = () => dynamo.process.kill();
  process.once('exit', killOnExit);
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, TABLE);
  const db: Db = { doc: createDocumentClient(client), tableName: TABLE };
  return {
    client,
    db,
    endpoint: dynamo.endpoint,
    async stop() {
      client.destroy();
      await dynamo.stop();
      process.off('exit', killOnExit);
    },
  };
}
