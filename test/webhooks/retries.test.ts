import { TableDeliveryQueue } from '@tandem/local';
import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { processJob } from '@tandem/webhooks';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testApp, testSealer, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { ownDatabase } from '../support/own-database.ts';
import { fastPolicy, receiver, webhookRuntime } from '../support/webhooks.ts';

let runtime: Awaited<ReturnType<typeof webhookRuntime>>;
beforeAll(async () => {
  runtime = await webhookRuntime();
});
afterAll(() => runtime.stop());

const deliveriesOf = async (key: string, endpointId: string) =>
  (await call(runtime.app, 'GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=100`, { key })).json
    .items;

describe('webhook retries', () => {
  test('a receiver that answers 503 for a while loses nothing, and each event keeps one webhook-id', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    let outage = true;
    const hooks = await receiver(() =>
      outage ? { status: 503, body: 'down for maintenance' } : { status: 204 },
    );
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: hooks.url, eventTypes: ['person.created'] },
    });
    const people = [];
    for (let i = 0; i < 5; i++)
      people.push(
        (await call(app, 'POST', '/v1/people', { key, body: { name: `P${i}`, email: uniqueEmail() } })).json
          .id,
      );
    await eventually(() => expect(hooks.requests.length).toBeGreaterThanOrEqual(10));
    outage = false;

    const deliveries = await eventually(async () => {
      const items = await deliveriesOf(key, endpoint.json.id);
      expect(items.map((d: { status: string }) => d.status)).toEqual(Array(5).fill('succeeded'));
      return items;
    });
    // Every event arrived, with one stable id per event across all its retries.
    const idsByPerson = new Map<string, Set<string>>();
    for (const request of hooks.requests) {
      const body = JSON.parse(request.body);
      expect(request.headers['webhook-id']).toBe(body.id);
      idsByPerson.set(body.data.personId, (idsByPerson.get(body.data.personId) ?? new Set()).add(body.id));
    }
    expect([...idsByPerson.keys()].sort()).toEqual([...people].sort());
    for (const ids of idsByPerson.values()) expect(ids.size).toBe(1);
    const retried = deliveries.find((d: { attemptCount: number }) => d.attemptCount > 1);
    expect(retried.attempts[0]).toMatchObject({ statusCode: 503, responseBody: 'down for maintenance' });
    expect(retried.attempts.at(-1).statusCode).toBe(204);
    await hooks.close();
  });

  test('429 with Retry-After is honoured; redirects are failures and are not followed', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    // Each endpoint also hears about its own creation (endpoint.created), in any order with the
    // ping: the receivers answer and count the pings only.
    const isPing = (request: { body: string }) => JSON.parse(request.body).type === 'webhook.test';
    let pings = 0;
    const hooks = await receiver((request) =>
      request.path.endsWith('/moved') || !isPing(request)
        ? { status: 200 }
        : pings++ === 0
          ? { status: 429, headers: { 'retry-after': '30' } }
          : { status: 302, headers: { location: '/hooks/moved' } },
    );
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    expect(ping.json.status).toBe('pending');
    const waited = Date.parse(ping.json.nextAttemptAt) - Date.parse(ping.json.attempts[0].at);
    expect(waited).toBeGreaterThanOrEqual(30_000);

    const redirect = await receiver((request) =>
      isPing(request)
        ? { status: 301, headers: { location: 'http://127.0.0.1:1/elsewhere' } }
        : { status: 200 },
    );
    const moved = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: redirect.url } });
    const pinged = await call(app, 'POST', `/v1/webhook-endpoints/${moved.json.id}/test`, { key });
    expect(pinged.json.attempts[0]).toMatchObject({ statusCode: 301, error: 'redirects are not followed' });
    expect(redirect.requests.filter(isPing)).toHaveLength(1);
    await hooks.close();
    await redirect.close();
  });

  test('a delivery that fails every scheduled attempt ends failed', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    const hooks = await receiver(() => ({ status: 500 }));
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    const failed = await eventually(async () => {
      const delivery = await call(
        app,
        'GET',
        `/v1/webhook-endpoints/${endpoint.json.id}/deliveries/${ping.json.id}`,
        { key },
      );
      expect(delivery.json.status).toBe('failed');
      return delivery.json;
    });
    expect(failed.attemptCount).toBe(fastPolicy.retryDelaysMs.length);
    // The endpoint also hears about its own creation (endpoint.created); count the ping's attempts only.
    const pings = hooks.requests.filter((r) => r.headers['webhook-id'] === failed.eventId);
    expect(pings).toHaveLength(fastPolicy.retryDelaysMs.length);
    const current = await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key });
    expect(current.json.failingSince).toBeDefined();
    await hooks.close();
  });

  test('410 Gone disables the endpoint and records endpoint.disabled', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    const hooks = await receiver(() => ({ status: 410 }));
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    expect(ping.json.status).toBe('failed');
    const disabled = await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key });
    expect(disabled.json).toMatchObject({ enabled: false, disabledReason: 'The endpoint answered 410 Gone' });
    const events = await call(app, 'GET', '/v1/events?type=endpoint.disabled', { key });
    expect(events.json.items[0].data).toMatchObject({
      endpointId: endpoint.json.id,
      reason: 'The endpoint answered 410 Gone',
    });
    await hooks.close();
  });
});

describe('disabling after sustained failure', () => {
  test('an endpoint failing for 5 days without a success is disabled', async () => {
    // No background worker here: the test drives the worker's code by hand with a clock five days on.
    const database = await ownDatabase();
    onTestFinished(() => database.stop());
    const { db } = database;
    const queue = new TableDeliveryQueue(db);
    const policy = { ...fastPolicy, retryDelaysMs: [0, 0, 0] };
    const app = testApp({ db, endpoint: database.endpoint, webhooks: { queue, policy } });
    const { key, tenantId } = await newTenant(app);
    const hooks = await receiver(() => ({ status: 500 }));
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const endpointId = endpoint.json.id;

    const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpointId}/test`, { key });
    expect(ping.json.status).toBe('pending');
    const failingSince = (await call(app, 'GET', `/v1/webhook-endpoints/${endpointId}`, { key })).json
      .failingSince;
    expect(failingSince).toBeDefined();

    const fiveDaysOn = new Date(Date.parse(failingSince) + 5 * 24 * 3600 * 1000 + 60_000);
    const stores = tenantStore(
      { tenant: db, platform: db, sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const result = await processJob(
      { tenantId, endpointId, deliveryId: ping.json.id, attempt: 1, dueAt: ping.json.nextAttemptAt },
      { storesFor: () => stores, queue, policy, now: () => fiveDaysOn },
    );
    expect(result).toMatchObject({ status: 'failed', attemptCount: 2 });
    const current = await call(app, 'GET', `/v1/webhook-endpoints/${endpointId}`, { key });
    expect(current.json).toMatchObject({
      enabled: false,
      disabledReason: 'Every attempt failed for 120 hours',
    });
    expect((await call(app, 'GET', '/v1/events?type=endpoint.disabled', { key })).json.items).toHaveLength(1);
    await hooks.close();
  });
});
