import { randomUUID } from 'node:crypto';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CursorCodec, keys, SecretSealer } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, testDb, testSealer } from '../support/app.ts';
import { fakeGusto, GUSTO_CLIENT } from '../support/fake-gusto.ts';
import { connected, hrisRuntime, sign, TEST_KEYS } from '../support/hris.ts';
import { recordedApi } from '../support/recorded-api.ts';
import { runScheduledJobAt } from '../support/schedule.ts';

/**
 * Thin webhooks fetched through the provider's API, reconciliation, and Workday's poll-first
 * sync, against recorded provider responses on 127.0.0.1 (the vendor boundary).
 */
const { app, applied } = hrisRuntime();

const RITA = '5f1a2b3c4d5e6f7a8b9c0d10';
const RIPPLING_TOKEN = 'rippling-api-token-abcdef-0001';
const WORKDAY_PASSWORD = 'workday-isu-password-0001';
const WORKDAY_PATH = '/ccx/service/acme/Human_Resources/v42.0';

/** Every stored item of a tenant. */
async function tenantItems(tenantId: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  const db = testDb();
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.tableName,
        FilterExpression: 'begins_with(PK, :tenant)',
        ExpressionAttributeValues: { ':tenant': `T#${tenantId}` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The API credentials a connection's item keeps, opened: stored, they are sealed to the tenant and the connection. */
async function storedCredentials(tenantId: string, item: Record<string, unknown>) {
  expect(SecretSealer.isSealed(item._apiCredentials)).toBe(true);
  const context = `${tenantId}/hris-connection/${item.id as string}/api-credentials`;
  return testSealer.openJson<Record<string, string>>(item._apiCredentials as string, context);
}

/** A Gusto connection as one written before sealing holds its credentials: plaintext, no refresh token hash. */
async function gustoBeforeSealing(refreshToken: string, baseUrl: string) {
  const c = await connected(app, 'gusto', {
    secret: TEST_KEYS.gusto,
    apiCredentials: { ...GUSTO_CLIENT, refreshToken: 'gusto-refresh-token-replaced-0000' },
    api: { account: 'c-uuid-1', baseUrl },
  });
  await testDb().doc.send(
    new UpdateCommand({
      TableName: testDb().tableName,
      Key: keys.hrisConnection(c.tenantId, c.id),
      UpdateExpression: 'SET #credentials = :plain REMOVE #hash',
      ExpressionAttributeNames: { '#credentials': '_apiCredentials', '#hash': '_refreshTokenHash' },
      ExpressionAttributeValues: { ':plain': { ...GUSTO_CLIENT, refreshToken } },
    }),
  );
  return c;
}

/** An item as text; binary attributes (idempotency records keep the response body as bytes) read as text. */
const text = (item: unknown) =>
  JSON.stringify(item, (_key, value) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
  );

const people = async (key: string) =>
  (await call(app, 'GET', '/v1/people?limit=100', { key })).json.items as any[];
const byName = async (key: string) => Object.fromEntries((await people(key)).map((p) => [p.name, p]));
const minutesLater = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function ripplingConnection(url: string, extra: Record<string, unknown> = {}) {
  return connected(app, 'rippling', {
    apiCredentials: { token: RIPPLING_TOKEN },
    api: { baseUrl: url },
    ...extra,
  });
}

describe('thin webhooks fetch the employee', () => {
  test('a Rippling poke (form-encoded, Bearer) is fetched through the API and applied; two alike are two pokes', async () => {
    const api = await recordedApi([
      { method: 'GET', path: `/employees/${RITA}`, file: 'rippling/employee-r100.json' },
    ]);
    const c = await ripplingConnection(api.url);
    expect(c.secret).toMatch(/^tdm_hris_/);
    const poke = `event_name=employee.updated&company_id=5f1a2b3c4d5e6f7a8b9c0000&company_primary_email=hr%40example.com&employee_id=${RITA}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await c.post(poke, { ...headers, authorization: 'Bearer wrong-token' })).status).toBe(401);
    const first = await c.post(poke, { ...headers, authorization: `Bearer ${c.secret}` });
    expect(first.status).toBe(202);
    await applied();
    expect(await c.person('rita.okafor@example.com')).toMatchObject({
      name: 'Rita Okafor',
      department: 'Platform',
      title: 'Staff Engineer',
      location: 'London HQ',
      hireDate: '2024-02-05',
      status: 'active',
      externalIds: { rippling: RITA },
    });
    expect(api.seen.map((r) => [r.path, r.headers.authorization])).toEqual([
      [`/employees/${RITA}`, `Bearer ${RIPPLING_TOKEN}`],
    ]);
    // The same body again is a new poke (Rippling sends no id or time), fetched again.
    expect((await c.post(poke, { ...headers, authorization: `Bearer ${c.secret}` })).status).toBe(202);
    await applied();
    expect(api.seen).toHaveLength(2);
    const log = await c.log();
    expect(log.map((e) => e.outcome)).toEqual(['skipped', 'accepted', 'applied', 'accepted', 'rejected']);
    expect(log[0].reason).toBe('nothing changed');
  });

  test('without API credentials a thin event is acknowledged and logged as ignored; an unknown employee is skipped', async () => {
    const api = await recordedApi([]);
    const bare = await connected(app, 'rippling');
    const poke = 'event_name=employee.updated&employee_id=E-404';
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${bare.secret}`,
    };
    const ignored = await bare.post(poke, headers);
    expect(ignored.json).toMatchObject({ outcome: 'ignored' });
    expect(ignored.json.reason).toContain('no API credentials');

    const c = await ripplingConnection(api.url);
    expect((await c.post(poke, { ...headers, authorization: `Bearer ${c.secret}` })).status).toBe(202);
    await applied();
    expect((await c.log())[0]).toMatchObject({ outcome: 'skipped', externalId: 'E-404' });
    expect((await c.log())[0].reason).toContain('not found through its API');
  });

  test('API settings are checked: credentials the provider needs, no API for standard, the SSRF guard on baseUrl', async () => {
    const { key } = await connected(app, 'standard');
    const post = (body: Record<string, unknown>) => call(app, 'POST', '/v1/hris-connections', { key, body });
    const missing = await post({
      provider: 'workday',
      apiCredentials: { username: 'isu' },
      api: { account: 'acme' },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0].field).toBe('/apiCredentials/password');
    // An access token alone expires within two hours: Gusto needs what refreshes it.
    const gustoToken = await post({
      provider: 'gusto',
      secret: TEST_KEYS.gusto,
      apiCredentials: { token: 'gusto-access-only' },
      api: { account: 'c-uuid-1' },
    });
    expect(gustoToken.status).toBe(422);
    expect(gustoToken.json.errors.map((e: { field: string }) => e.field)).toEqual([
      '/apiCredentials/clientId',
      '/apiCredentials/clientSecret',
      '/apiCredentials/refreshToken',
    ]);
    const standard = await post({ provider: 'standard', apiCredentials: { token: 'x' } });
    expect(standard.json.errors[0].field).toBe('/apiCredentials');
    const noAccount = await post({
      provider: 'bamboohr',
      secret: 'bamboohr-key-0001',
      apiCredentials: { token: 'k' },
    });
    expect(noAccount.json.errors[0].field).toBe('/api/account');
    const metadata = await post({
      provider: 'rippling',
      apiCredentials: { token: 'k' },
      api: { baseUrl: 'http://169.254.169.254/latest' },
    });
    expect(metadata.status).toBe(422);
    expect(metadata.json.errors[0].field).toBe('/api/baseUrl');
  });
});

describe('reconciliation', () => {
  test('a scheduled pull repairs a missed hire, change and termination, and removes nobody it did not see leave', async () => {
    const api = await recordedApi([
      {
        method: 'GET',
        path: '/employees/include_terminated?*',
        file: 'rippling/employees-include-terminated.json',
      },
    ]);
    const c = await ripplingConnection(api.url);
    // The connection's first pull, everyone, is due at once.
    await runScheduledJobAt(c.tenantId, minutesLater(1));
    const before = await byName(c.key);
    expect(Object.keys(before).sort()).toEqual(['Kai Brandt', 'Mo Haddad', 'Rita Okafor']);
    expect(before['Rita Okafor'].managerId).toBe(before['Mo Haddad'].id);

    // Webhooks missed: Mo's promotion, Rita's termination, Noor's hire; Kai is not listed any more.
    api.play([
      { method: 'GET', path: '/employees/include_terminated?*', file: 'rippling/employees-later.json' },
    ]);
    await runScheduledJobAt(c.tenantId, minutesLater(60)); // not due yet: daily by default
    expect(api.seen).toHaveLength(1);
    await runScheduledJobAt(c.tenantId, minutesLater(25 * 60));
    expect(api.seen).toHaveLength(2);
    const after = await byName(c.key);
    expect(after['Mo Haddad']).toMatchObject({ title: 'Director of Engineering', status: 'active' });
    expect(after['Rita Okafor']).toMatchObject({ status: 'left' });
    expect(after['Noor Iqbal']).toMatchObject({
      department: 'Data',
      status: 'active',
      managerId: after['Mo Haddad'].id,
    });
    expect(after['Kai Brandt']).toMatchObject({ status: 'active' });
    const summaries = (await c.log()).filter((e) => e.eventType === 'hris.reconcile' && !e.externalId);
    expect(summaries.map((e) => e.outcome)).toEqual(['reconciled', 'reconciled']);
    expect(summaries[1].reason).toBe('3 employees read (everyone); pull complete');
    // Rippling lists everyone each time; the window of the next pull starts where the last began.
    expect(summaries[0].reason).toMatch(/^3 employees read \(changed since \d{4}-.+\); pull complete$/);
  });

  test('a pull longer than a pass keeps its cursor and goes on at the next pass; a failed call is retried from there', async () => {
    const employee = (n: number) => ({
      id: `m-${n}`,
      first_name: 'Page',
      last_name: `Person ${n}`,
      work_email: `page.person.${n}@example.com`,
      employment_status: 'ACTIVE',
      modified_at: '2026-01-01T00:00:00Z',
    });
    const pages = Array.from({ length: 7 }, (_, n) => ({
      method: 'GET' as const,
      path: n === 0 ? '/employees?page_size=100&include_remote_data=false&*' : `/employees?*cursor=c${n}&*`,
      json: { next: n < 6 ? `c${n + 1}` : null, results: [employee(n)] },
    }));
    // Cursor routes first: the first page's pattern matches every request.
    const api = await recordedApi([...pages.slice(1), pages[0]!]);
    const c = await connected(app, 'merge', {
      secret: 'merge-test-signature-key-0001',
      apiCredentials: { token: 'merge-key', accountToken: 'merge-account' },
      api: { baseUrl: api.url },
    });
    const start = minutesLater(1);
    await runScheduledJobAt(c.tenantId, start);
    expect(await people(c.key)).toHaveLength(5);
    expect((await c.log())[0].reason).toBe('5 employees read (everyone); the pull goes on at the next pass');
    // The provider fails on the sixth page: the failure is logged (status only) and the cursor kept.
    api.play([{ method: 'GET', path: '/employees?*', status: 503, json: { detail: 'maintenance' } }]);
    await runScheduledJobAt(c.tenantId, new Date(start.getTime() + 2000));
    expect((await c.log())[0]).toMatchObject({ outcome: 'failed' });
    expect((await c.log())[0].reason).toContain('answered 503');
    api.play([...pages.slice(1), pages[0]!]);
    await runScheduledJobAt(c.tenantId, new Date(start.getTime() + 16 * 60_000));
    expect(await people(c.key)).toHaveLength(7);
    expect(api.seen.at(-1)!.path).toContain('cursor=c6');
    expect((await c.log())[0].reason).toBe('2 employees read (everyone); pull complete');
  });
});

describe('Workday is poll-first', () => {
  test('a full pull at once, then transaction-log deltas every 30 minutes; a poke fetches its worker at once', async () => {
    const routes = [
      {
        method: 'POST' as const,
        path: WORKDAY_PATH,
        bodyIncludes: ['Transaction_Log_Criteria_Data'],
        file: 'workday/get-workers-transaction-log.xml',
      },
      {
        method: 'POST' as const,
        path: WORKDAY_PATH,
        bodyIncludes: ['Employee_ID">21003<'],
        file: 'workday/get-worker-21003.xml',
      },
      {
        method: 'POST' as const,
        path: WORKDAY_PATH,
        bodyIncludes: ['<bsvc:Page>1<'],
        file: 'workday/get-workers-page1.xml',
      },
      {
        method: 'POST' as const,
        path: WORKDAY_PATH,
        bodyIncludes: ['<bsvc:Page>2<'],
        file: 'workday/get-workers-page2.xml',
      },
    ];
    const api = await recordedApi(routes);
    const c = await connected(app, 'workday', {
      apiCredentials: { username: 'ISU_Tandem@acme', password: WORKDAY_PASSWORD },
      api: { baseUrl: `${api.url}${WORKDAY_PATH}` },
    });
    await runScheduledJobAt(c.tenantId, minutesLater(1));
    expect(api.seen).toHaveLength(2);
    expect(api.seen[0]!.body).not.toContain('Transaction_Log_Criteria_Data');
    const first = await byName(c.key);
    expect(first['Teresa Serrano']).toMatchObject({ status: 'active', managerId: first['Logan McNeil'].id });

    await runScheduledJobAt(c.tenantId, minutesLater(20));
    expect(api.seen).toHaveLength(2);
    await runScheduledJobAt(c.tenantId, minutesLater(32));
    expect(api.seen).toHaveLength(3);
    expect(api.seen[2]!.body).toMatch(/<bsvc:Updated_From>\d{4}-.+<\/bsvc:Updated_From>/);
    expect((await byName(c.key))['Teresa Serrano']).toMatchObject({ status: 'left' });

    const basic = `Basic ${Buffer.from(`tandem:${c.secret}`).toString('base64')}`;
    const poke = await c.post(JSON.stringify({ workerId: '21003', event: 'Hire' }), { authorization: basic });
    expect(poke.status).toBe(202);
    await applied();
    expect((await byName(c.key))['Steve Morgan']).toMatchObject({
      title: 'Payroll Analyst',
      location: 'Chicago',
      managerId: first['Teresa Serrano'].id,
    });
  });
});

describe('API credentials are secrets', () => {
  test('never in responses, replays, events, the log, nor in plaintext in any stored item: only sealed in their storage-only attribute', async () => {
    const api = await recordedApi([
      { method: 'GET', path: `/employees/${RITA}`, file: 'rippling/employee-r100.json' },
      {
        method: 'GET',
        path: '/employees/include_terminated?*',
        file: 'rippling/employees-include-terminated.json',
      },
    ]);
    const c = await connected(app, 'standard');
    const body = {
      provider: 'rippling',
      apiCredentials: { token: RIPPLING_TOKEN },
      api: { baseUrl: api.url },
    };
    const headers = { 'idempotency-key': 'create-rippling-1' };
    const created = await call(app, 'POST', '/v1/hris-connections', { key: c.key, body, headers });
    const replay = await call(app, 'POST', '/v1/hris-connections', { key: c.key, body, headers });
    expect(created.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(created.json).toMatchObject({ apiConnected: true });
    const id = created.json.id as string;
    const rotated = 'rippling-api-token-rotated-0002';
    const patched = await call(app, 'PATCH', `/v1/hris-connections/${id}`, {
      key: c.key,
      body: { apiCredentials: { token: rotated } },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    const poke = `event_name=employee.updated&employee_id=${RITA}`;
    await call(app, 'POST', `/v1/hris/${id}/webhooks`, {
      body: poke,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${created.json.secret}`,
      },
    });
    await applied();
    await runScheduledJobAt(c.tenantId, minutesLater(1));
    expect(api.seen.at(-1)!.headers.authorization).toBe(`Bearer ${rotated}`);

    const read = await call(app, 'GET', `/v1/hris-connections/${id}`, { key: c.key });
    const log = await call(app, 'GET', `/v1/hris-connections/${id}/events?limit=100`, { key: c.key });
    const outward = [created, replay, patched, read, log].map((r) => r.text).join('\n');
    for (const token of [RIPPLING_TOKEN, rotated]) expect(outward).not.toContain(token);

    const items = await tenantItems(c.tenantId);
    expect(items.length).toBeGreaterThan(10);
    expect(items.some((item) => String(item.PK).includes('#IDEM#'))).toBe(true);
    for (const token of [RIPPLING_TOKEN, rotated])
      expect(items.filter((item) => text(item).includes(token))).toEqual([]);
    const holders = items.filter((item) => item._apiCredentials);
    expect(holders).toHaveLength(1);
    expect(await storedCredentials(c.tenantId, holders[0]!)).toEqual({ token: rotated });

    const removed = await call(app, 'PATCH', `/v1/hris-connections/${id}`, {
      key: c.key,
      body: { apiCredentials: null },
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(removed.json.apiConnected).toBeUndefined();
  });
});

describe('Gusto OAuth', () => {
  test('a token exchange over credentials stored before sealing, not yet read (no refresh token hash), keeps the new pair sealed; the spent token cannot be spent again', async () => {
    const OLD = 'gusto-refresh-token-unread-0001';
    const c = await gustoBeforeSealing(OLD, 'http://127.0.0.1:9');
    // As a worker that read the plaintext credentials just before their first sealing failed (an
    // edit moved the version): the exchange's write finds no hash, only the plaintext token.
    const store = tenantStore(
      { tenant: testDb(), platform: testDb(), sealer: testSealer },
      c.tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const next = {
      ...GUSTO_CLIENT,
      token: 'gusto-access-token-0002',
      refreshToken: 'gusto-refresh-token-0002',
    };
    const spent = { ...GUSTO_CLIENT, refreshToken: OLD };
    expect(await store.hrisConnections.rotateApiCredentials(c.id, spent, next)).toBe(true);
    const items = await tenantItems(c.tenantId);
    expect(await storedCredentials(c.tenantId, items.find((item) => item._apiCredentials)!)).toEqual(next);
    for (const token of [OLD, next.token, next.refreshToken])
      expect(items.filter((item) => text(item).includes(token))).toEqual([]);
    expect(await store.hrisConnections.rotateApiCredentials(c.id, spent, { ...next, token: 'other' })).toBe(
      false,
    );
  });

  test('credentials stored before sealing (plaintext, no refresh token hash) are sealed by their first read and still refresh; the exchange keeps the new pair sealed', async () => {
    const OLD = 'gusto-refresh-token-legacy-0001';
    const gusto = await fakeGusto(OLD);
    const c = await gustoBeforeSealing(OLD, gusto.url);
    const body = JSON.stringify({
      uuid: randomUUID(),
      event_type: 'employee.updated',
      entity_type: 'Employee',
      entity_uuid: 'bcfc9744-9d3a-4a5e-8d3b-2a4f1e3c9a11',
      timestamp: Math.floor(Date.now() / 1000),
    });
    expect((await c.post(body, sign.gusto(body))).status).toBe(202);
    await applied();
    expect(gusto.exchanges).toEqual([{ refreshToken: OLD, status: 200 }]);
    const items = await tenantItems(c.tenantId);
    const holder = items.find((item) => item._apiCredentials)!;
    const kept = await storedCredentials(c.tenantId, holder);
    expect(kept.token).toBe(gusto.used[0]);
    expect(gusto.refreshable(kept.refreshToken!)).toBe(true);
    expect(items.filter((item) => text(item).includes(kept.refreshToken!))).toEqual([]);
  });

  test('the refresh token buys access tokens as they expire; each new pair is kept, only on the connection and sealed, and two workers refreshing at once agree on it', async () => {
    const FIRST = 'gusto-refresh-token-first-0001';
    const AVA = 'bcfc9744-9d3a-4a5e-8d3b-2a4f1e3c9a11';
    const gusto = await fakeGusto(FIRST);
    const c = await connected(app, 'gusto', {
      secret: TEST_KEYS.gusto,
      apiCredentials: { ...GUSTO_CLIENT, refreshToken: FIRST },
      api: { account: 'c-uuid-1', baseUrl: gusto.url },
    });
    const etag = async () =>
      (await call(app, 'GET', `/v1/hris-connections/${c.id}`, { key: c.key })).headers.get('etag');
    const createdEtag = await etag();
    const poke = async (employee: string) => {
      const body = JSON.stringify({
        uuid: randomUUID(),
        event_type: 'employee.updated',
        entity_type: 'Employee',
        entity_uuid: employee,
        timestamp: Math.floor(Date.now() / 1000),
      });
      expect((await c.post(body, sign.gusto(body))).status).toBe(202);
    };
    const kept = async () => {
      const holders = (await tenantItems(c.tenantId)).filter((item) => item._apiCredentials);
      expect(holders).toHaveLength(1);
      return storedCredentials(c.tenantId, holders[0]!);
    };

    // No access token given: the first call exchanges the refresh token, keeps the pair, then calls.
    await poke(AVA);
    await applied();
    expect(await c.person('ava.reyes@example.com')).toMatchObject({
      name: 'Ava Reyes',
      externalIds: { gusto: AVA },
    });
    expect(gusto.exchanges).toEqual([{ refreshToken: FIRST, status: 200 }]);
    const first = await kept();
    expect(first).toMatchObject({ ...GUSTO_CLIENT, token: gusto.used[0] });
    expect(first.refreshToken).not.toBe(FIRST);
    // Gusto revoked the spent token when the new access token was first used.
    expect(gusto.refreshable(FIRST)).toBe(false);

    // The kept access token serves the next call.
    await poke(AVA);
    await applied();
    expect(gusto.exchanges).toHaveLength(1);
    expect(gusto.used.at(-1)).toBe(first.token);

    // Two hours on, two employees' pokes are fetched side by side: both find the token expired.
    gusto.expire();
    const calls = gusto.used.length;
    await poke(AVA);
    await poke('bcfc9744-9d3a-4a5e-8d3b-2a4f1e3c9a12');
    await applied();
    const second = await kept();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(gusto.refreshable(second.refreshToken!)).toBe(true);
    expect(gusto.exchanges.slice(1).every((e) => e.refreshToken === first.refreshToken)).toBe(true);
    // Whoever kept its pair first, every call after the expiry went out with the kept token.
    const after = gusto.used.slice(calls);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(new Set(after)).toEqual(new Set([second.token]));
    expect((await c.log()).map((e) => e.outcome)).not.toContain('failed');

    // A token exchange is no edit: the connection's ETag stays; no token is stored in plaintext
    // (the kept pair only sealed, above; what the exchange replaced, nowhere).
    expect(await etag()).toBe(createdEtag);
    const items = await tenantItems(c.tenantId);
    const holding = (token: string) =>
      items.filter((item) => text(item).includes(token)).map((item) => item.SK);
    for (const token of [second.token!, second.refreshToken!, first.token!, first.refreshToken!, FIRST])
      expect(holding(token)).toEqual([]);
    const outward = await call(app, 'GET', `/v1/hris-connections/${c.id}/events?limit=100`, { key: c.key });
    expect(outward.text).not.toContain(second.token!);
  });
});
