import { createDocumentClient, createDynamoClient } from '@tandem/store';
import { describe, expect, inject, test } from 'vitest';
import { call, newTenant, OPERATOR_KEY, testApp, uniqueEmail } from '../support/app.ts';
import { sharedDynamoEndpoint } from '../support/shared-dynamodb.ts';

describe('tenants (operator)', () => {
  const app = testApp();

  test('the operator creates, lists, reads and updates tenants', async () => {
    const created = await call(app, 'POST', '/v1/tenants', {
      key: OPERATOR_KEY,
      body: { name: 'Acme', tier: 'enterprise' },
    });
    expect(created.status).toBe(201);
    expect(created.json.tenant).toMatchObject({
      name: 'Acme',
      tier: 'enterprise',
      status: 'active',
      version: 1,
    });
    expect(created.json.adminKey).toMatchObject({ scopes: ['admin'], status: 'active' });
    expect(created.json.adminKey.secret).toMatch(/^tdm_live_/);
    const id = created.json.tenant.id;

    expect((await call(app, 'GET', `/v1/tenants/${id}`, { key: OPERATOR_KEY })).json.name).toBe('Acme');
    let found = false;
    let cursor: string | null = null;
    do {
      const page: any = await call(app, 'GET', `/v1/tenants?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        key: OPERATOR_KEY,
      });
      found ||= page.json.items.some((t: { id: string }) => t.id === id);
      cursor = page.json.nextCursor;
    } while (cursor && !found);
    expect(found).toBe(true);

    const renamed = await call(app, 'PATCH', `/v1/tenants/${id}`, {
      key: OPERATOR_KEY,
      headers: { 'if-match': '"1"' },
      body: { name: 'Acme Corp' },
    });
    expect(renamed.json).toMatchObject({ name: 'Acme Corp', version: 2 });
  });

  test('only the operator manages tenants; tenant keys only reach their tenant', async () => {
    const { key } = await newTenant(app);
    expect((await call(app, 'GET', '/v1/tenants')).status).toBe(401);
    expect((await call(app, 'GET', '/v1/tenants')).headers.get('www-authenticate')).toBe('Bearer');
    expect((await call(app, 'GET', '/v1/tenants', { key })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/people', { key: OPERATOR_KEY })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/people', { key: 'tdm_live_not-a-real-key' })).status).toBe(401);
  });

  test('suspending a tenant stops its keys until it is reactivated', async () => {
    const { tenantId, key } = await newTenant(app);
    expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(200);
    await call(app, 'PATCH', `/v1/tenants/${tenantId}`, { key: OPERATOR_KEY, body: { status: 'suspended' } });
    expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(401);
    await call(app, 'PATCH', `/v1/tenants/${tenantId}`, { key: OPERATOR_KEY, body: { status: 'active' } });
    expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(200);
  });
});

describe('API keys', () => {
  test('keys are shown once, listed without secrets, and scoped', async () => {
    const app = testApp();
    const { key } = await newTenant(app);
    const reader = await call(app, 'POST', '/v1/api-keys', {
      key,
      body: { name: 'Dashboard', scopes: ['read'] },
    });
    expect(reader.status).toBe(201);
    expect(reader.json.secret).toMatch(/^tdm_live_/);
    expect(reader.json.prefix).toBe(`${reader.json.secret.slice(0, 13)}…`);

    const listed = await call(app, 'GET', '/v1/api-keys', { key });
    expect(listed.json.items).toHaveLength(2);
    expect(JSON.stringify(listed.json)).not.toContain(reader.json.secret);
    expect(JSON.stringify(listed.json)).not.toContain('secretHash');

    const read = reader.json.secret;
    expect((await call(app, 'GET', '/v1/people', { key: read })).status).toBe(200);
    const write = await call(app, 'POST', '/v1/people', {
      key: read,
      body: { name: 'X', email: 'x@example.com' },
    });
    expect(write.status).toBe(403);
    expect(write.json.detail).toContain('people:write');
    expect((await call(app, 'GET', '/v1/api-keys', { key: read })).status).toBe(403);

    const invalid = await call(app, 'POST', '/v1/api-keys', {
      key,
      body: { name: 'X', scopes: ['root', 'read', 'read'] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors.map((e: { field: string }) => e.field)).toContain('/scopes/0');
  });

  test('revoked keys stop working at once', async () => {
    const app = testApp();
    const { key } = await newTenant(app);
    const extra = await call(app, 'POST', '/v1/api-keys', { key, body: { name: 'CI', scopes: ['read'] } });
    // Used once first, so that the authorizer holds it in its cache when it is revoked.
    expect((await call(app, 'GET', '/v1/people', { key: extra.json.secret })).status).toBe(200);
    const revoked = await call(app, 'DELETE', `/v1/api-keys/${extra.json.id}`, { key });
    expect(revoked.json.status).toBe('revoked');
    expect((await call(app, 'GET', '/v1/people', { key: extra.json.secret })).status).toBe(401);
    expect((await call(app, 'DELETE', `/v1/api-keys/${extra.json.id}`, { key })).status).toBe(200);
  });

  test('expired keys stop working', async () => {
    let now = new Date('2027-01-01T00:00:00Z');
    const app = testApp({ now: () => now });
    const { key } = await newTenant(app);
    const temp = await call(app, 'POST', '/v1/api-keys', {
      key,
      body: { name: 'Contractor', scopes: ['read'], expiresAt: '2027-01-02T00:00:00Z' },
    });
    expect((await call(app, 'GET', '/v1/people', { key: temp.json.secret })).status).toBe(200);
    now = new Date('2027-01-02T00:00:01Z');
    expect((await call(app, 'GET', '/v1/people', { key: temp.json.secret })).status).toBe(401);
  });

  test('a key whose expiry is already past (on the request clock) is refused, naming expiresAt', async () => {
    // Ahead of the real clock, so only the request's clock can tell that these expiries are past.
    const now = new Date('2031-01-01T00:00:00Z');
    const app = testApp({ now: () => now });
    const { key } = await newTenant(app);
    for (const expiresAt of ['2030-06-01T00:00:00Z', '2031-01-01T00:00:00Z']) {
      const refused = await call(app, 'POST', '/v1/api-keys', {
        key,
        body: { name: 'Stale', scopes: ['read'], expiresAt },
      });
      expect(refused.status).toBe(422);
      expect(refused.json.errors.map((e: { field: string }) => e.field)).toEqual(['/expiresAt']);
    }
    const listed = await call(app, 'GET', '/v1/api-keys', { key });
    expect(listed.json.items.map((k: { name: string }) => k.name)).not.toContain('Stale');
    const ahead = await call(app, 'POST', '/v1/api-keys', {
      key,
      body: { name: 'Fresh', scopes: ['read'], expiresAt: '2031-01-01T00:00:01Z' },
    });
    expect(ahead.status).toBe(201);
  });

  test('rotation issues a new key and keeps the old one for the overlap window only', async () => {
    let now = new Date('2027-03-01T12:00:00Z');
    const app = testApp({ now: () => now });
    const { key } = await newTenant(app);
    const old = await call(app, 'POST', '/v1/api-keys', {
      key,
      body: { name: 'HRIS sync', scopes: ['people:write'] },
    });
    const rotated = await call(app, 'POST', `/v1/api-keys/${old.json.id}/rotate`, {
      key,
      body: { overlapSeconds: 3600 },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.json).toMatchObject({ name: 'HRIS sync', scopes: ['people:write'] });
    expect(rotated.json.secret).not.toBe(old.json.secret);

    for (const secret of [old.json.secret, rotated.json.secret])
      expect((await call(app, 'GET', '/v1/people', { key: secret })).status).toBe(200);
    const oldRecord = await call(app, 'GET', `/v1/api-keys/${old.json.id}`, { key });
    expect(oldRecord.json).toMatchObject({
      rotatedTo: rotated.json.id,
      expiresAt: '2027-03-01T13:00:00.000Z',
    });

    now = new Date('2027-03-01T13:00:01Z');
    expect((await call(app, 'GET', '/v1/people', { key: old.json.secret })).status).toBe(401);
    expect((await call(app, 'GET', '/v1/people', { key: rotated.json.secret })).status).toBe(200);
    const twice = await call(app, 'POST', `/v1/api-keys/${old.json.id}/rotate`, { key, body: {} });
    expect(twice.status).toBe(409);
  });

  test('rotation without overlap stops the old key at once, though the authorizer had cached it', async () => {
    const app = testApp();
    const { key } = await newTenant(app);
    const old = await call(app, 'POST', '/v1/api-keys', { key, body: { name: 'Sync', scopes: ['read'] } });
    expect((await call(app, 'GET', '/v1/people', { key: old.json.secret })).status).toBe(200);
    const rotated = await call(app, 'POST', `/v1/api-keys/${old.json.id}/rotate`, {
      key,
      body: { overlapSeconds: 0 },
    });
    expect(rotated.status).toBe(201);
    expect((await call(app, 'GET', '/v1/people', { key: old.json.secret })).status).toBe(401);
    expect((await call(app, 'GET', '/v1/people', { key: rotated.json.secret })).status).toBe(200);
  });
});

describe('authorizer cache', () => {
  test('a key resolved a moment ago costs no DynamoDB read', async () => {
    let sends = 0;
    const doc = createDocumentClient(createDynamoClient({ endpoint: sharedDynamoEndpoint() }));
    doc.middlewareStack.add(
      (next) => (args) => {
        sends++;
        return next(args);
      },
      { step: 'initialize', name: 'countSends' },
    );
    const app = testApp({ db: { doc, tableName: inject('tableName') } });
    const { key } = await newTenant(app);
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: 'Ada', email: uniqueEmail('ada') },
    });
    sends = 0;
    const read = await call(app, 'GET', `/v1/people/${person.json.id}`, { key });
    expect(read.status).toBe(200);
    // The person, and nothing for the key or its tenant.
    expect(sends).toBe(1);
  });
});
