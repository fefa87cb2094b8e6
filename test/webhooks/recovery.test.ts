import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testSealer, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { receiver, webhookRuntime } from '../support/webhooks.ts';

let runtime: Awaited<ReturnType<typeof webhookRuntime>>;
beforeAll(async () => {
  // Pages of 3 events, so that a few people make a recovery of several pages.
  runtime = await webhookRuntime({ recoveryPageSize: 3 });
});
afterAll(() => runtime.stop());

describe('recovery', () => {
  test('re-sends every subscribed event since a time in the background, page by page, with its progress', async () => {
    const { app, db } = runtime;
    const { key, tenantId } = await newTenant(app);
    const since = new Date(Date.now() - 1000).toISOString();
    const people = 7;
    for (let i = 0; i < people; i++)
      await call(app, 'POST', '/v1/people', { key, body: { name: `P${i}`, email: uniqueEmail() } });
    await call(app, 'POST', '/v1/programs', { key, body: { name: 'Not subscribed', format: 'circles' } });

    // Registered after the events: it hears them only through a recovery.
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: hooks.url, eventTypes: ['person.*'] },
    });
    const started = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/recover`, {
      key,
      body: { since },
    });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ status: 'running', queued: 0, since });
    const location = started.headers.get('location')!;
    expect(location).toBe(`/v1/webhook-endpoints/${endpoint.json.id}/recoveries/${started.json.id}`);

    const done = await eventually(async () => {
      const read = await call(app, 'GET', location, { key });
      expect(read.json.status).toBe('completed');
      return read.json;
    }, 60_000);
    expect(done.queued).toBe(people);
    // The tenant's events since then (seven people among them), three a page: several pages.
    const stored = await tenantStore(
      { tenant: db, platform: db, sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    ).deliveries.getRecovery(endpoint.json.id, started.json.id);
    expect(stored.page).toBeGreaterThanOrEqual(3);
    expect(done.completedAt).toBeDefined();
    const received = await eventually(() => {
      expect(hooks.requests).toHaveLength(people);
      return hooks.requests;
    }, 60_000);
    const types = new Set(received.map((r) => JSON.parse(r.body).type));
    expect([...types]).toEqual(['person.created']);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(people);
    await hooks.close();
  });

  test("another tenant's recovery is a 404", async () => {
    const { app } = runtime;
    const a = await newTenant(app);
    const b = await newTenant(app);
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key: a.key,
      body: { url: hooks.url },
    });
    const started = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/recover`, {
      key: a.key,
      body: { since: new Date().toISOString() },
    });
    const location = started.headers.get('location')!;
    expect((await call(app, 'GET', location, { key: b.key })).status).toBe(404);
    await hooks.close();
  });
});
