import { newId } from '@tandem/core';
import { startDynamoDbLocal } from '@tandem/local';
import { CursorCodec, createDocumentClient, createDynamoClient, ensureTable } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { benchSealer } from './bench-sealer.ts';

/**
 * What the in-process benches run on: a DynamoDB Local of their own with the table, and one new
 * tenant's store on it with the system clock, as a use case's context. Stop `dynamo` at the end.
 */
export async function benchTenant(tableName: string) {
  const dynamo = await startDynamoDbLocal();
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  const db = { doc: createDocumentClient(client), tableName };
  await ensureTable(client, tableName);
  const tenantId = newId('tenant');
  const store = tenantStore(
    { tenant: db, platform: db, sealer: benchSealer },
    tenantId,
    new CursorCodec('bench-cursor-secret-0123456789'),
  );
  return { dynamo, db, tenantId, store, ctx: { tenantId, store, clock: () => new Date() } };
}
