import { randomUUID } from 'node:crypto';
import { TableHrisQueue } from '@tandem/local';
import { createDocumentClient, createDynamoClient } from '@tandem/store';
import { expect, inject, test } from 'vitest';
import { testApp } from '../support/app.ts';
import { connected, sign } from '../support/hris.ts';
import { sharedDynamoEndpoint } from '../support/shared-dynamodb.ts';

/** The items this client reads one by one (GetItem), each as its marshalled key. */
function readsOf(client: ReturnType<typeof createDynamoClient>) {
  const reads: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetItemCommand')
        reads.push(JSON.stringify((args.input as { Key: unknown }).Key));
      return next(args);
    },
    { step: 'initialize', name: 'countReads' },
  );
  return reads;
}

test('a burst of deliveries at a connection not read yet reads its route and the connection once', async () => {
  const client = createDynamoClient({ endpoint: sharedDynamoEndpoint() });
  const reads = readsOf(client);
  const db = { doc: createDocumentClient(client), tableName: inject('tableName') };
  const app = testApp({ db, hris: { queue: new TableHrisQueue(db, `HRIS_TEST_${randomUUID()}`) } });
  const c = await connected(app, 'standard');
  reads.length = 0;

  const statuses = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const body = JSON.stringify({
        type: 'employee.created',
        timestamp: new Date().toISOString(),
        data: { externalId: `B-${i}`, name: `Burst ${i}`, email: `burst${i}-${randomUUID()}@example.com` },
      });
      return (await c.post(body, sign.standard(body, c.secret))).status;
    }),
  );

  expect(statuses).toEqual(Array(20).fill(202));
  // One read of the connection's lookup item (its route) and one of the connection itself, not 20 each.
  expect(reads.filter((key) => key.includes(c.id))).toHaveLength(2);
  const accepted = (await c.log()).filter((entry) => entry.outcome === 'accepted');
  expect(accepted).toHaveLength(20);
  client.destroy();
});
