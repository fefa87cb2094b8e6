import { TableDeliveryQueue } from '@tandem/local';
import { expect, test } from 'vitest';
import { call, testApp, testDb } from '../support/app.ts';
import {
  bodyFor,
  isWrite,
  openApiDocument,
  pathFor,
  tenantOperations,
  tenantWithEverything,
} from '../support/operations.ts';
import { fastPolicy } from '../support/webhooks.ts';

const app = testApp({ webhooks: { queue: new TableDeliveryQueue(testDb()), policy: fastPolicy } });

test('a read key is refused (403) on every write operation, with real ids and a valid body', {
  timeout: 180_000,
}, async () => {
  const doc = await openApiDocument(app);
  const tenant = await tenantWithEverything(app, 'Read only');
  const reader = await call(app, 'POST', '/v1/api-keys', {
    key: tenant.key,
    body: { name: 'Reader', scopes: ['read'] },
  });
  const writes = tenantOperations(doc).filter(isWrite);
  for (const op of writes) {
    const res = await call(app, op.method, pathFor(op, tenant.ids), {
      key: reader.json.secret,
      body: bodyFor(op, doc.components.schemas, tenant.ids),
    });
    expect({ op: op.label, status: res.status }, res.text).toEqual({ op: op.label, status: 403 });
  }
  // Today's document has 26 writes outside the operator's tenant directory.
  expect(writes.length).toBeGreaterThanOrEqual(25);
  await tenant.hooks.close();
});
