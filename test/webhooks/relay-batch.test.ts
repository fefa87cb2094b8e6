import { TableDeliveryQueue } from '@tandem/local';
import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { relayEvents } from '@tandem/webhooks';
import { expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testApp, testDb, testSealer, uniqueEmail } from '../support/app.ts';
import { fastPolicy } from '../support/webhooks.ts';

test("a batch of events reads each tenant's endpoints once and fans out every event", async () => {
  const db = testDb();
  const queue = new TableDeliveryQueue(db);
  const app = testApp({ webhooks: { queue, policy: fastPolicy } });
  const { key, tenantId } = await newTenant(app);
  const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
    key,
    body: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['person.*'] },
  });
  expect(endpoint.status).toBe(201);
  for (let i = 0; i < 5; i++)
    await call(app, 'POST', '/v1/people', { key, body: { name: `P${i}`, email: uniqueEmail() } });
  const store = tenantStore(
    { tenant: db, platform: db, sealer: testSealer },
    tenantId,
    new CursorCodec(CURSOR_SECRET),
  );
  const events = (await store.events.list({ type: 'person.created' }, { limit: 100 })).items;
  expect(events).toHaveLength(5);

  let endpointReads = 0;
  const all = store.webhookEndpoints.all.bind(store.webhookEndpoints);
  store.webhookEndpoints.all = () => {
    endpointReads++;
    return all();
  };
  const fannedOut = await relayEvents(events, { storesFor: () => store, queue });
  expect(fannedOut).toBe(5);
  expect(endpointReads).toBe(1);
  expect(
    (await store.deliveries.list((await store.webhookEndpoints.all())[0]!.id, {}, { limit: 10 })).items,
  ).toHaveLength(5);
});
