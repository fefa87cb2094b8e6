import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runScheduledJob, SEAL_STORED_SECRETS } from '@tandem/app';
import { CursorCodec, keys, PlatformMigrations, SecretSealer, TenantsRepository } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, OPERATOR_KEY, testApp, testSealer } from '../support/app.ts';
import { connected, hrisRuntime, sign, TEST_KEYS } from '../support/hris.ts';
import { ownDatabase } from '../support/own-database.ts';
import { fastPolicy, receiver } from '../support/webhooks.ts';

// A database of this file's own, so that scanning the whole of it is quick and sees only these tests.
const database = await ownDatabase();
afterAll(() => database.stop());
const { db } = database;
/** The loopback receiver passes the SSRF guard only under the test policy; test pings attempt at once. */
const app = testApp({
  db,
  endpoint: database.endpoint,
  webhooks: { queue: { enqueue: async () => {} }, policy: fastPolicy },
});

/** The keys of every item in the whole table whose text holds `secret` (binary attributes read as text). */
async function itemsHolding(secret: string) {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const text = JSON.stringify(item, (_key, value) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
      );
      if (text.includes(secret)) found.push(`${item.PK} ${item.SK}`);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

async function getItem(key: object) {
  return (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true })))
    .Item;
}

/** A test ping's request as the receiver got it. */
async function ping(key: string, endpointId: string, hooks: Awaited<ReturnType<typeof receiver>>) {
  const sent = await call(app, 'POST', `/v1/webhook-endpoints/${endpointId}/test`, { key });
  expect(sent.json.status).toBe('succeeded');
  return hooks.requests.find((r) => r.headers['webhook-id'] === sent.json.eventId)!;
}

const verifies = (secret: string, request: { body: string; headers: Record<string, string | undefined> }) => {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

describe('webhook signing secrets at rest', () => {
  test('are stored only sealed, before and after a rotation, and deliveries are signed with them', async () => {
    const { tenantId, key } = await newTenant(app);
    const hooks = await receiver();
    const created = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const first = created.json.secret as string;
    const item = await getItem(keys.webhookEndpoint(tenantId, created.json.id));
    expect(SecretSealer.isSealed(item!._secret)).toBe(true);
    expect(await itemsHolding(first)).toEqual([]);
    expect(verifies(first, await ping(key, created.json.id, hooks))).toBe(true);

    const rotated = await call(app, 'POST', `/v1/webhook-endpoints/${created.json.id}/rotate-secret`, {
      key,
      body: { overlapSeconds: 3600 },
    });
    const second = rotated.json.secret as string;
    const after = await getItem(keys.webhookEndpoint(tenantId, created.json.id));
    expect(SecretSealer.isSealed(after!._secret)).toBe(true);
    expect(SecretSealer.isSealed(after!._previousSecret)).toBe(true);
    for (const secret of [first, second]) expect(await itemsHolding(secret)).toEqual([]);
    const during = await ping(key, created.json.id, hooks);
    expect([verifies(first, during), verifies(second, during)]).toEqual([true, true]);
    await hooks.close();
  });

  test('secrets stored before sealing still sign, and the first delivery that reads them seals them in place', async () => {
    const { tenantId, key } = await newTenant(app);
    const hooks = await receiver();
    const created = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const etag = async () =>
      (await call(app, 'GET', `/v1/webhook-endpoints/${created.json.id}`, { key })).headers.get('etag');
    const before = await etag();
    // As an endpoint written before sealing holds them, during a rotation's overlap.
    const legacy = 'whsec_bGVnYWN5LXBsYWludGV4dC1zZWNyZXQtMDAwMQ==';
    const legacyPrevious = 'whsec_bGVnYWN5LXByZXZpb3VzLXNlY3JldC0wMDAy';
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.webhookEndpoint(tenantId, created.json.id),
        UpdateExpression: 'SET #secret = :legacy, #previous = :previous, previousSecretExpiresAt = :until',
        ExpressionAttributeNames: { '#secret': '_secret', '#previous': '_previousSecret' },
        ExpressionAttributeValues: {
          ':legacy': legacy,
          ':previous': legacyPrevious,
          ':until': new Date(Date.now() + 3_600_000).toISOString(),
        },
      }),
    );
    const first = await ping(key, created.json.id, hooks);
    expect([verifies(legacy, first), verifies(legacyPrevious, first)]).toEqual([true, true]);
    for (const secret of [legacy, legacyPrevious]) expect(await itemsHolding(secret)).toEqual([]);
    const item = await getItem(keys.webhookEndpoint(tenantId, created.json.id));
    expect([SecretSealer.isSealed(item!._secret), SecretSealer.isSealed(item!._previousSecret)]).toEqual([
      true,
      true,
    ]);
    // A storage change only: the endpoint's version (its ETag) is the same.
    expect(await etag()).toBe(before);
    const again = await ping(key, created.json.id, hooks);
    expect([verifies(legacy, again), verifies(legacyPrevious, again)]).toEqual([true, true]);

    const rotated = await call(app, 'POST', `/v1/webhook-endpoints/${created.json.id}/rotate-secret`, {
      key,
      body: { overlapSeconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    const during = await ping(key, created.json.id, hooks);
    expect([verifies(legacy, during), verifies(rotated.json.secret, during)]).toEqual([true, true]);
    expect(await itemsHolding(rotated.json.secret)).toEqual([]);
    await hooks.close();
  });

  test("a sealed secret moved onto another tenant's endpoint does not open there: its delivery fails, unsigned by it", async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    const hooks = await receiver();
    const fromA = await call(app, 'POST', '/v1/webhook-endpoints', { key: a.key, body: { url: hooks.url } });
    const ofB = await call(app, 'POST', '/v1/webhook-endpoints', { key: b.key, body: { url: hooks.url } });
    const sealedForA = (await getItem(keys.webhookEndpoint(a.tenantId, fromA.json.id)))!._secret;
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.webhookEndpoint(b.tenantId, ofB.json.id),
        UpdateExpression: 'SET #secret = :moved',
        ExpressionAttributeNames: { '#secret': '_secret' },
        ExpressionAttributeValues: { ':moved': sealedForA },
      }),
    );
    const sent = await call(app, 'POST', `/v1/webhook-endpoints/${ofB.json.id}/test`, { key: b.key });
    expect(sent.status).toBe(500);
    expect(hooks.requests).toHaveLength(0);
    await hooks.close();
  });
});

describe("HR systems' signing keys at rest", () => {
  const hris = hrisRuntime({ database });

  test('are stored only sealed, and verify what the provider signs with them; keys stored before sealing still verify and are sealed by the first webhook that reads them', async () => {
    const c = await connected(hris.app, 'bamboohr', { secret: TEST_KEYS.bamboohr });
    const key = keys.hrisConnection(c.tenantId, c.id);
    expect(SecretSealer.isSealed((await getItem(key))!._secrets)).toBe(true);
    expect(await itemsHolding(TEST_KEYS.bamboohr)).toEqual([]);
    const body = JSON.stringify({ employees: [] });
    expect((await c.post(body, sign.bamboohr(body))).status).toBeLessThan(300);
    expect((await c.post(body, sign.bamboohr(body, 'bamboohr-some-other-key-0009'))).status).toBe(401);

    // The keys as a connection written before sealing holds them: a plain list.
    const legacy = 'bamboohr-legacy-plaintext-key-0002';
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET #secrets = :plain',
        ExpressionAttributeNames: { '#secrets': '_secrets' },
        ExpressionAttributeValues: {
          ':plain': [
            {
              id: 'hsk_01jd0000000000000000000000',
              value: legacy,
              preview: 'bamboohr…',
              createdAt: new Date().toISOString(),
            },
          ],
        },
      }),
    );
    expect((await c.post(body, sign.bamboohr(body, legacy))).status).toBeLessThan(300);
    expect(SecretSealer.isSealed((await getItem(key))!._secrets)).toBe(true);
    expect(await itemsHolding(legacy)).toEqual([]);

    const next = 'bamboohr-next-pasted-key-0003';
    const added = await call(hris.app, 'POST', `/v1/hris-connections/${c.id}/secrets`, {
      key: c.key,
      body: { secret: next },
    });
    expect(added.status).toBe(200);
    expect(SecretSealer.isSealed((await getItem(key))!._secrets)).toBe(true);
    for (const secret of [legacy, next]) expect(await itemsHolding(secret)).toEqual([]);
    for (const signer of [legacy, next])
      expect((await c.post(body, sign.bamboohr(body, signer))).status).toBeLessThan(300);
  });
});

describe('secrets stored before sealing that nothing reads', () => {
  const hris = hrisRuntime({ database });
  const migrations = new PlatformMigrations(db);
  const cursors = new CursorCodec(CURSOR_SECRET);
  const pass = (failingTenant?: string, platformMigrations = migrations) =>
    runScheduledJob(
      {
        tenants: new TenantsRepository(db, cursors),
        migrations: platformMigrations,
        contextFor: (tenantId) => {
          const clock = () => new Date();
          const store = tenantStore(
            { tenant: db, platform: db, sealer: testSealer },
            tenantId,
            cursors,
            clock,
          );
          if (tenantId === failingTenant)
            store.webhookEndpoints.sealPlaintextSecrets = async () => {
              throw new Error('throttled');
            };
          return { tenantId, clock, store };
        },
      },
      new Date(),
    );
  /** Puts `value` back in plaintext where the item keeps a secret, as Tandem wrote it before sealing. */
  const storePlain = (key: object, attribute: string, value: unknown) =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET #secret = :plain',
        ExpressionAttributeNames: { '#secret': attribute },
        ExpressionAttributeValues: { ':plain': value },
      }),
    );
  const plainKeys = (value: string) => [
    {
      id: 'hsk_01jd0000000000000000000001',
      value,
      preview: 'bamboohr…',
      createdAt: new Date().toISOString(),
    },
  ];

  test("are sealed by the scheduled job's one-off sweep, a suspended tenant's too; later passes only read that it was done", async () => {
    // An endpoint that never delivers, of a tenant that is suspended since.
    const { tenantId, key } = await newTenant(app);
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: 'https://hooks.example.com/tandem' },
    });
    const endpointKey = keys.webhookEndpoint(tenantId, endpoint.json.id);
    const legacySecret = 'whsec_bGVnYWN5LW5ldmVyLWRlbGl2ZXJlZC0wMDA0';
    await storePlain(endpointKey, '_secret', legacySecret);
    const etag = (await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key })).headers.get(
      'etag',
    );
    expect(
      (
        await call(app, 'PATCH', `/v1/tenants/${tenantId}`, {
          key: OPERATOR_KEY,
          body: { status: 'suspended' },
        })
      ).status,
    ).toBe(200);
    // An HR system's connection that receives no webhook and that nobody reads.
    const c = await connected(hris.app, 'bamboohr', { secret: TEST_KEYS.bamboohr });
    const legacyKey = 'bamboohr-legacy-never-read-key-0005';
    await storePlain(keys.hrisConnection(c.tenantId, c.id), '_secrets', plainKeys(legacyKey));
    for (const secret of [legacySecret, legacyKey]) expect(await itemsHolding(secret)).not.toEqual([]);

    // A tenant that cannot be swept (a throttled read) stops no other, and the sweep is not recorded done.
    await expect(pass(tenantId)).rejects.toThrow('The stored secrets of 1 tenant(s) could not be sealed');
    expect(await itemsHolding(legacySecret)).not.toEqual([]);
    expect(await itemsHolding(legacyKey)).toEqual([]);
    expect(await migrations.done(SEAL_STORED_SECRETS)).toBe(false);

    // The endpoint; the connection was sealed by the failed pass already. The Lambda logs the count.
    expect((await pass()).sealedSecrets).toBe(1);
    for (const secret of [legacySecret, legacyKey]) expect(await itemsHolding(secret)).toEqual([]);
    expect(SecretSealer.isSealed((await getItem(endpointKey))!._secret)).toBe(true);
    expect(await migrations.done(SEAL_STORED_SECRETS)).toBe(true);
    // A storage change only: the endpoint is the same version; the connection still verifies the key.
    await call(app, 'PATCH', `/v1/tenants/${tenantId}`, { key: OPERATOR_KEY, body: { status: 'active' } });
    expect(
      (await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key })).headers.get('etag'),
    ).toBe(etag);
    const body = JSON.stringify({ employees: [] });
    expect((await c.post(body, sign.bamboohr(body, legacyKey))).status).toBeLessThan(300);

    // Done once: a later pass does not look at endpoints again (nothing writes plaintext any more).
    const planted = 'whsec_cGxhbnRlZC1hZnRlci10aGUtc3dlZXAtMDA2';
    await storePlain(endpointKey, '_secret', planted);
    expect((await pass()).sealedSecrets).toBeUndefined();
    expect(await itemsHolding(planted)).toEqual([`${endpointKey.PK} ${endpointKey.SK}`]);

    // The record unreadable (throttled): the pass fails at its end, saying so.
    const unreadable = Object.assign(new PlatformMigrations(db), {
      done: async () => {
        throw new Error('throttled');
      },
    });
    await expect(pass(undefined, unreadable)).rejects.toThrow(
      'Whether stored secrets are sealed could not be read',
    );
  });
});
