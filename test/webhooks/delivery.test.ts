import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, newTenant, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { receiver, webhookRuntime } from '../support/webhooks.ts';

let runtime: Awaited<ReturnType<typeof webhookRuntime>>;
beforeAll(async () => {
  runtime = await webhookRuntime();
});
afterAll(() => runtime.stop());

describe('webhook delivery', () => {
  test('a change reaches a registered endpoint as a signed event that standardwebhooks verifies', async () => {
    const { app } = runtime;
    const { key, tenantId } = await newTenant(app);
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: hooks.url, description: 'People sync', eventTypes: ['person.*'] },
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.json.secret).toMatch(/^whsec_/);
    expect(
      (await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key })).json.secret,
    ).toBeUndefined();

    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: 'Dana', email: uniqueEmail(), department: 'Ops' },
    });
    await call(app, 'POST', '/v1/programs', { key, body: { name: 'Not subscribed', format: 'circles' } });

    const [received] = await eventually(() => {
      expect(hooks.requests).toHaveLength(1);
      return hooks.requests;
    });
    const verified = new Webhook(endpoint.json.secret).verify(received!.body, received!.headers) as any;
    expect(verified).toMatchObject({
      type: 'person.created',
      tenantId,
      data: { personId: person.json.id, email: person.json.email, department: 'Ops', status: 'active' },
    });
    expect(verified.id).toBe(received!.headers['webhook-id']);
    expect(received!.headers['content-type']).toBe('application/json');
    expect(() =>
      new Webhook(`whsec_${Buffer.from('wrong secret 1234567890').toString('base64')}`).verify(
        received!.body,
        received!.headers,
      ),
    ).toThrow();

    const log = await eventually(async () => {
      const page = await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}/deliveries`, { key });
      expect(page.json.items[0]?.status).toBe('succeeded');
      return page.json;
    });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      eventId: verified.id,
      eventType: 'person.created',
      attemptCount: 1,
    });
    expect(log.items[0].attempts[0]).toMatchObject({
      statusCode: 200,
      responseBody: 'ok',
      durationMs: expect.any(Number),
    });
    await hooks.close();
  });

  test('the test ping answers with its first attempt, and a redelivery sends the same webhook-id again', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    expect(ping.status).toBe(200);
    expect(ping.json).toMatchObject({ eventType: 'webhook.test', status: 'succeeded', attemptCount: 1 });
    // The endpoint also hears its own creation event, relayed in the background at its own pace.
    const pings = () => hooks.requests.filter((request) => JSON.parse(request.body).type === 'webhook.test');
    expect(pings()).toHaveLength(1);

    const again = await call(
      app,
      'POST',
      `/v1/webhook-endpoints/${endpoint.json.id}/deliveries/${ping.json.id}/redeliver`,
      { key },
    );
    expect(again.status).toBe(202);
    await eventually(() => expect(pings()).toHaveLength(2));
    expect(pings()[1]!.headers['webhook-id']).toBe(pings()[0]!.headers['webhook-id']);
    await eventually(async () => {
      const delivery = await call(
        app,
        'GET',
        `/v1/webhook-endpoints/${endpoint.json.id}/deliveries/${ping.json.id}`,
        { key },
      );
      expect(delivery.json).toMatchObject({ status: 'succeeded', attemptCount: 2 });
    });
    await hooks.close();
  });

  test('events are listed for catch-up, filtered by type and time, and every type is documented', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const program = await call(app, 'POST', '/v1/programs', { key, body: { name: 'P', format: 'circles' } });
    await call(app, 'POST', '/v1/people', { key, body: { name: 'E', email: uniqueEmail() } });

    const all = await call(app, 'GET', '/v1/events', { key });
    expect(all.json.items.map((e: { type: string }) => e.type)).toEqual([
      'tenant.created',
      'program.created',
      'person.created',
    ]);
    expect(all.json.items[1]).toMatchObject({
      type: 'program.created',
      data: { programId: program.json.id, format: 'circles' },
    });
    expect(all.json.items[1].timestamp).toBeDefined();
    const programs = await call(app, 'GET', '/v1/events?type=program.*', { key });
    expect(programs.json.items.map((e: { type: string }) => e.type)).toEqual(['program.created']);
    const recent = await call(app, 'GET', `/v1/events?after=${encodeURIComponent(before)}`, { key });
    expect(recent.json.items.map((e: { type: string }) => e.type)).toEqual([
      'program.created',
      'person.created',
    ]);
    expect((await call(app, 'GET', '/v1/events?type=nonsense.*', { key })).status).toBe(400);

    const types = await call(app, 'GET', '/v1/event-types', { key });
    const personCreated = types.json.items.find((t: { type: string }) => t.type === 'person.created');
    expect(personCreated.schema.properties).toHaveProperty('personId');
    expect(types.json.items.map((t: { type: string }) => t.type)).toContain('endpoint.disabled');
    const doc = (await call(app, 'GET', '/openapi.json')).json;
    expect(doc.components.schemas.Event_person_created.properties.data).toBeDefined();
  });

  test('endpoints can be updated, disabled and deleted; a disabled endpoint receives nothing', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: hooks.url, eventTypes: ['program.created'] },
    });
    const disabled = await call(app, 'PATCH', `/v1/webhook-endpoints/${endpoint.json.id}`, {
      key,
      headers: { 'if-match': '"1"' },
      body: { enabled: false, eventTypes: ['program.*'] },
    });
    expect(disabled.json).toMatchObject({ enabled: false, eventTypes: ['program.*'], version: 2 });
    // A second endpoint shows when the relay has handled the event (it fans out to all endpoints at once).
    const witness = await receiver();
    await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: witness.url, eventTypes: ['program.created'] },
    });
    await call(app, 'POST', '/v1/programs', { key, body: { name: 'Quiet', format: 'circles' } });
    await eventually(() => expect(witness.requests).toHaveLength(1));
    const enabled = await call(app, 'PATCH', `/v1/webhook-endpoints/${endpoint.json.id}`, {
      key,
      body: { enabled: true },
    });
    expect(enabled.json.enabled).toBe(true);
    await call(app, 'POST', '/v1/programs', { key, body: { name: 'Heard', format: 'circles' } });
    await eventually(() => expect(hooks.requests).toHaveLength(1));
    expect(JSON.parse(hooks.requests[0]!.body).data.name).toBe('Heard');

    expect((await call(app, 'DELETE', `/v1/webhook-endpoints/${endpoint.json.id}`, { key })).status).toBe(
      204,
    );
    expect((await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key })).status).toBe(404);
    const types = (await call(app, 'GET', '/v1/events?type=endpoint.*', { key })).json.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual([
      'endpoint.created',
      'endpoint.updated',
      'endpoint.created',
      'endpoint.updated',
      'endpoint.deleted',
    ]);
    await hooks.close();
    await witness.close();
  });
});
