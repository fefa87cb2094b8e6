import { hashSecret } from '@tandem/api';
import { TableDeliveryQueue } from '@tandem/local';
import { CursorCodec, queryAll } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { describe, expect, test } from 'vitest';
import {
  CURSOR_SECRET,
  call,
  newTenant,
  OPERATOR_KEY,
  strictTestPolicy,
  testApp,
  testDb,
  testSealer,
  uniqueEmail,
} from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { participantToken } from '../support/participants.ts';

const db = testDb();
// Webhook URLs resolve to a public address (test DNS), so endpoints can be created; nothing delivers.
const app = testApp({
  webhooks: {
    queue: new TableDeliveryQueue(db),
    policy: { ...strictTestPolicy, resolveHost: async () => [{ address: '93.184.216.34', family: 4 }] },
  },
});

const auditItems = (tenantId: string) =>
  queryAll(db, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': `T#${tenantId}#AUDIT` },
  });

const log = async (key: string, query = '') => {
  const res = await call(app, 'GET', `/v1/audit-log${query}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json as { items: any[]; nextCursor: string | null };
};

const person = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ingrid Halvorsen',
  email: uniqueEmail('ingrid'),
  department: 'Finance',
  title: 'Controller',
  timezone: 'Europe/Oslo',
  careerGoals: ['Lead the audit committee'],
  ...overrides,
});

/** A request from a given socket address, as the local server hands it to the app. */
const fromAddress = (path: string, init: RequestInit, address: string) =>
  app.request(path, init, { incoming: { socket: { remoteAddress: address } } });

describe('audit log', () => {
  test('an API key write records who, what, when and from where, with personal values redacted', async () => {
    const tenant = await newTenant(app);
    const keys = await call(app, 'GET', '/v1/api-keys', { key: tenant.key });
    const keyId = keys.json.items[0].id as string;
    const before = new Date();
    const res = await fromAddress(
      '/v1/people',
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tenant.key}`,
          'content-type': 'application/json',
          'x-request-id': 'req-audit-1',
        },
        body: JSON.stringify(person({ hireDate: '2020-02-03' })),
      },
      '203.0.113.7',
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; email: string };

    const { items } = await log(tenant.key, `?resourceId=${created.id}`);
    expect(items).toHaveLength(1);
    const [entry] = items;
    expect(entry).toMatchObject({
      actor: { kind: 'api_key', id: keyId },
      operation: 'createPerson',
      route: 'POST /v1/people',
      requestId: 'req-audit-1',
      sourceIp: '203.0.113.7',
      outcome: 'succeeded',
      events: ['person.created'],
    });
    expect(Date.parse(entry.occurredAt)).toBeGreaterThanOrEqual(before.getTime() - 1000);
    const change = entry.changes.find((c: any) => c.resourceId === created.id);
    expect(change).toMatchObject({ resourceType: 'person', action: 'created' });
    // Field names always; values only where they cannot be personal.
    expect(change.set).toMatchObject({
      id: created.id,
      status: 'active',
      hireDate: '2020-02-03',
      name: '[redacted]',
      email: '[redacted]',
      department: '[redacted]',
      timezone: '[redacted]',
      careerGoals: ['[redacted]'],
    });
    const raw = JSON.stringify(await auditItems(tenant.tenantId));
    for (const personal of ['Ingrid', 'Halvorsen', created.email, 'Finance', 'Controller', 'audit committee'])
      expect(raw).not.toContain(personal);

    const patched = await call(app, 'PATCH', `/v1/people/${created.id}`, {
      key: tenant.key,
      body: { title: 'CFO', status: 'inactive' },
    });
    expect(patched.status, patched.text).toBe(200);
    const updates = await log(tenant.key, `?resourceId=${created.id}&operation=updatePerson`);
    expect(updates.items).toHaveLength(1);
    expect(updates.items[0].changes[0]).toMatchObject({
      resourceType: 'person',
      resourceId: created.id,
      action: 'updated',
      set: { title: '[redacted]', status: 'inactive' },
    });
  });

  test('a refused transaction leaves no audit entry, and the refusal is recorded on its own', async () => {
    const tenant = await newTenant(app);
    const email = uniqueEmail('dup');
    expect((await call(app, 'POST', '/v1/people', { key: tenant.key, body: person({ email }) })).status).toBe(
      201,
    );
    const committed = (await auditItems(tenant.tenantId)).length;
    const duplicate = await call(app, 'POST', '/v1/people', { key: tenant.key, body: person({ email }) });
    expect(duplicate.status).toBe(409);
    const after = await auditItems(tenant.tenantId);
    // One more entry only: the refusal, which carries no change.
    expect(after).toHaveLength(committed + 1);
    const refused = await log(tenant.key, '?outcome=refused');
    expect(refused.items).toHaveLength(1);
    expect(refused.items[0]).toMatchObject({
      operation: 'createPerson',
      outcome: 'refused',
      status: 409,
      changes: [],
      events: [],
    });
    const succeeded = await log(tenant.key, '?operation=createPerson&outcome=succeeded');
    expect(succeeded.items).toHaveLength(1);
  });

  test('key creation, rotation and revocation are audited and no secret ever reaches an entry', async () => {
    const tenant = await newTenant(app);
    const created = await call(app, 'POST', '/v1/api-keys', {
      key: tenant.key,
      body: { name: 'CI', scopes: ['read'] },
    });
    expect(created.status).toBe(201);
    const rotated = await call(app, 'POST', `/v1/api-keys/${created.json.id}/rotate`, {
      key: tenant.key,
      body: {},
    });
    expect(rotated.status, rotated.text).toBe(201);
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key: tenant.key,
      body: { url: 'https://hooks.example.com/tandem', eventTypes: ['person.*'] },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    const rotatedSecret = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/rotate-secret`, {
      key: tenant.key,
      body: {},
    });
    expect(rotatedSecret.status, rotatedSecret.text).toBeLessThan(300);
    // A request-driven write outside a domain event (a recovery's record) is audited too.
    const recovery = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/recover`, {
      key: tenant.key,
      body: { since: new Date(Date.now() - 3_600_000).toISOString() },
    });
    expect(recovery.status, recovery.text).toBe(202);
    const recovered = await log(tenant.key, '?operation=recoverWebhookEndpoint');
    expect(recovered.items[0].changes).toEqual([
      expect.objectContaining({ resourceType: 'recovery', resourceId: recovery.json.id, action: 'created' }),
    ]);
    const revoked = await call(app, 'DELETE', `/v1/api-keys/${created.json.id}`, { key: tenant.key });
    expect(revoked.status, revoked.text).toBe(200);

    const operations = (await log(tenant.key, `?resourceId=${created.json.id}`)).items.map(
      (e) => e.operation,
    );
    expect(operations).toEqual(expect.arrayContaining(['createApiKey', 'rotateApiKey', 'revokeApiKey']));
    const raw = JSON.stringify(await auditItems(tenant.tenantId));
    const secrets = [
      tenant.key,
      created.json.secret,
      rotated.json.secret,
      hashSecret(created.json.secret),
      hashSecret(rotated.json.secret),
      endpoint.json.secret,
      rotatedSecret.json.secret,
    ].filter((s): s is string => typeof s === 'string');
    expect(secrets).toHaveLength(7);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    // The tenant's own admin key, created with it, is in the log as the operator's write.
    const byOperator = await log(tenant.key, '?actor=operator');
    expect(byOperator.items[0]).toMatchObject({ operation: 'createTenant', actor: { kind: 'operator' } });
  });

  test("a participant's own change is audited as the participant's", async () => {
    const tenant = await newTenant(app);
    const created = await call(app, 'POST', '/v1/people', { key: tenant.key, body: person() });
    const token = await participantToken(app, tenant, created.json.id);
    const patched = await call(app, 'PATCH', '/v1/me', {
      key: token,
      body: { timezone: 'Europe/Paris', languages: ['nb'] },
    });
    expect(patched.status, patched.text).toBe(200);
    // Configuring the identity provider that signs the token in was the key's, and is audited.
    const providers = await log(tenant.key, '?operation=createIdentityProvider');
    expect(providers.items).toHaveLength(1);
    expect(providers.items[0].changes[0]).toMatchObject({
      resourceType: 'identityProvider',
      action: 'created',
    });
    const { items } = await log(tenant.key, `?actor=${created.json.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actor: { kind: 'participant', id: created.json.id },
      operation: 'updateMe',
      changes: [{ resourceType: 'person', resourceId: created.json.id, set: { timezone: '[redacted]' } }],
    });
  });

  test('operator changes land in the tenant log; filters by resource type, time range and cursor', async () => {
    const tenant = await newTenant(app);
    const upgraded = await call(app, 'PATCH', `/v1/tenants/${tenant.tenantId}`, {
      key: OPERATOR_KEY,
      body: { tier: 'enterprise' },
    });
    expect(upgraded.status, upgraded.text).toBe(200);
    const tenantEntries = await log(tenant.key, '?resourceType=tenant&operation=updateTenant');
    expect(tenantEntries.items).toHaveLength(1);
    expect(tenantEntries.items[0].changes[0].set).toMatchObject({ tier: 'enterprise', name: '[redacted]' });
    // Enterprise retention applies from the change on.
    const [item] = (await auditItems(tenant.tenantId)).filter((i) => i.id === tenantEntries.items[0].id) as {
      expiresAt: number;
      occurredAt: string;
    }[];
    expect(item!.expiresAt - Date.parse(item!.occurredAt) / 1000).toBeGreaterThan(2000 * 86_400);

    for (let i = 0; i < 5; i++)
      expect((await call(app, 'POST', '/v1/people', { key: tenant.key, body: person() })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log(
        tenant.key,
        `?resourceType=person&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort().reverse()).toEqual(seen);

    const future = await log(
      tenant.key,
      `?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future.items).toHaveLength(0);
    const past = await log(
      tenant.key,
      `?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
    );
    expect(past.items).toHaveLength(0);
    // A range that ends before it starts holds no entry (not a database error).
    const inverted = await log(
      tenant.key,
      `?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
    );
    expect(inverted).toEqual({ items: [], nextCursor: null });
    const all = await log(
      tenant.key,
      `?from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`,
    );
    expect(all.items.length).toBe(7);
    // A cursor is bound to its filters.
    const first = await log(tenant.key, '?resourceType=person&limit=2');
    const misused = await call(
      app,
      'GET',
      `/v1/audit-log?resourceType=tenant&cursor=${encodeURIComponent(first.nextCursor!)}`,
      { key: tenant.key },
    );
    expect(misused.status).toBe(422);
  });

  test('exports NDJSON and CSV; only admins read the log', async () => {
    const tenant = await newTenant(app);
    await call(app, 'POST', '/v1/people', { key: tenant.key, body: person() });
    const ndjson = await call(app, 'GET', '/v1/audit-log/export', { key: tenant.key });
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = ndjson.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.operation)).toEqual(['createPerson', 'createTenant']);
    const csv = await call(app, 'GET', '/v1/audit-log/export?format=csv&operation=createPerson', {
      key: tenant.key,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe(
      'id,occurredAt,actorKind,actorId,operation,route,requestId,sourceIp,outcome,status,events,resources,changes',
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(',createPerson,POST /v1/people,');

    const reader = await call(app, 'POST', '/v1/api-keys', {
      key: tenant.key,
      body: { name: 'reader', scopes: ['read'] },
    });
    expect((await call(app, 'GET', '/v1/audit-log', { key: reader.json.secret })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/audit-log/export', { key: reader.json.secret })).status).toBe(403);
  });

  test('the export reads the whole log page after page, newest first, filters applied on every page', async () => {
    const tenant = await newTenant(app);
    for (let i = 0; i < 4; i++) await call(app, 'POST', '/v1/people', { key: tenant.key, body: person() });
    const store = tenantStore(
      { tenant: db, platform: db, sealer: testSealer },
      tenant.tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const exported = async (filter: { operation?: string }) => {
      const ids: string[] = [];
      // Pages of two entries (the export reads 500 at a time): five entries take three pages.
      for await (const entry of await store.auditLog.all(filter, 2)) ids.push(entry.id);
      return ids;
    };
    const listed = (await log(tenant.key, '?limit=100')).items.map((e) => e.id);
    expect(listed).toHaveLength(5);
    expect(await exported({})).toEqual(listed);
    expect(await exported({ operation: 'createPerson' })).toEqual(listed.slice(0, 4));
  });

  test('append-only: no route writes to the audit log, and entries have no version', async () => {
    const document = (await call(app, 'GET', '/openapi.json')).json;
    const auditPaths = Object.entries(document.paths as Record<string, Record<string, unknown>>).filter(
      ([path]) => path.startsWith('/v1/audit-log'),
    );
    expect(auditPaths.map(([path]) => path).sort()).toEqual(['/v1/audit-log', '/v1/audit-log/export']);
    for (const [, operations] of auditPaths)
      expect(Object.keys(operations).filter((m) => m !== 'parameters')).toEqual(['get']);
    const tenant = await newTenant(app);
    const [entry] = await auditItems(tenant.tenantId);
    expect(entry).not.toHaveProperty('version');
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST'])
      expect([404, 405]).toContain(
        (await call(app, method, `/v1/audit-log/${entry!.id}`, { key: tenant.key })).status,
      );
  });

  test("a matching run's writes are audited as the system's, the review as the key's", async () => {
    const tenant = await newTenant(app);
    const { key } = tenant;
    const program = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'P', format: 'peer_pairs' },
    });
    const programId = program.json.id as string;
    for (let i = 0; i < 4; i++) {
      const created = await call(app, 'POST', '/v1/people', {
        key,
        body: { name: `P${i}`, email: uniqueEmail(), department: `D${i}` },
      });
      await call(app, 'POST', `/v1/programs/${programId}/enrollments`, {
        key,
        body: { personId: created.json.id, role: 'peer' },
      });
    }
    const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    const runPath = `/v1/programs/${programId}/match-runs/${started.json.id}`;
    await eventually(async () => {
      expect((await call(app, 'GET', runPath, { key })).json.status).toBe('awaiting_review');
    }, 60_000);
    expect((await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } })).status).toBe(
      200,
    );
    expect((await call(app, 'POST', `${runPath}/publish`, { key })).status).toBe(202);
    await eventually(async () => {
      expect((await call(app, 'GET', runPath, { key })).json.status).toBe('published');
    }, 60_000);

    const system = (await log(key, '?actor=matching-run&limit=100')).items;
    expect(system.every((e) => e.actor.kind === 'system')).toBe(true);
    const publish = system.filter((e) => e.operation === 'matchingRun.publish');
    const relationships = publish
      .flatMap((e) => e.changes)
      .filter((c: any) => c.resourceType === 'relationship');
    expect(relationships.filter((c: any) => c.action === 'created')).toHaveLength(2);
    expect(publish.flatMap((e) => e.events)).toContain('match.published');
    // The review is the key's: one transaction, the run's approve-all flag among its changes.
    const decided = (await log(key, '?operation=decideProposals')).items;
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ actor: { kind: 'api_key' }, outcome: 'succeeded' });
    expect(decided[0].changes).toContainEqual(
      expect.objectContaining({
        resourceType: 'matchRun',
        resourceId: started.json.id,
        set: expect.objectContaining({ approveAll: true }),
      }),
    );
  });
});
