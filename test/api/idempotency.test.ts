import { expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

const app = testApp();

test('a replay returns the first response without creating anything again', async () => {
  const { key } = await newTenant(app);
  const body = { name: 'Once', email: uniqueEmail(), department: 'Ops' };
  const headers = { 'idempotency-key': 'create-once-1' };
  const first = await call(app, 'POST', '/v1/people', { key, body, headers });
  // Same fields in another order are the same request.
  const reordered = { department: body.department, email: body.email, name: body.name };
  const replay = await call(app, 'POST', '/v1/people', { key, body: reordered, headers });
  expect(first.status).toBe(201);
  expect(replay.status).toBe(201);
  expect(replay.json).toEqual(first.json);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.headers.get('location')).toBe(first.headers.get('location'));
  const listed = await call(app, 'GET', '/v1/people', { key });
  expect(listed.json.items).toHaveLength(1);
});

test('the same key with a different body is 422 and changes nothing', async () => {
  const { key } = await newTenant(app);
  const headers = { 'idempotency-key': 'create-once-2' };
  await call(app, 'POST', '/v1/people', { key, body: { name: 'First', email: uniqueEmail() }, headers });
  const conflicting = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'Second', email: uniqueEmail() },
    headers,
  });
  expect(conflicting.status).toBe(422);
  expect(conflicting.json.type).toBe('https://tandem.dev/problems/idempotency-key-reused');
  expect(conflicting.json.errors[0].field).toBe('Idempotency-Key');
  expect((await call(app, 'GET', '/v1/people', { key })).json.items).toHaveLength(1);
});

test('error responses are replayed too, and keys are per tenant', async () => {
  const { key } = await newTenant(app);
  const headers = { 'idempotency-key': 'bad-once' };
  const body = { name: 'Bad', email: 'not-an-email' };
  const first = await call(app, 'POST', '/v1/people', { key, body, headers });
  const replay = await call(app, 'POST', '/v1/people', { key, body, headers });
  expect(first.status).toBe(400);
  expect(replay.status).toBe(400);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');

  const other = await newTenant(app);
  const good = await call(app, 'POST', '/v1/people', {
    key: other.key,
    body: { name: 'Good', email: uniqueEmail() },
    headers,
  });
  expect(good.status).toBe(201);
});

test('concurrent requests with one key create exactly one resource', async () => {
  const { key } = await newTenant(app);
  const body = { name: 'Racy', format: 'circles' };
  const results = await Promise.all(
    Array.from({ length: 8 }, () =>
      call(app, 'POST', '/v1/programs', { key, body, headers: { 'idempotency-key': 'race' } }),
    ),
  );
  const statuses = results.map((r) => r.status);
  expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
  const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.json.id));
  expect(ids.size).toBe(1);
  expect((await call(app, 'GET', '/v1/programs', { key })).json.items).toHaveLength(1);
});

test('an over-long Idempotency-Key is refused by name', async () => {
  const { key } = await newTenant(app);
  const res = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'X', format: 'circles' },
    headers: { 'idempotency-key': 'k'.repeat(256) },
  });
  expect(res.status).toBe(400);
  expect(res.json.errors[0]).toMatchObject({ field: 'Idempotency-Key', in: 'header' });
});

test('every operation that takes an Idempotency-Key documents its 409 and 422 answers', async () => {
  const doc = (await call(app, 'GET', '/openapi.json')).json;
  const idempotent = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, any>)
      .filter(([, op]) => op.parameters?.some((p: { name: string }) => p.name === 'idempotency-key'))
      .map(([method, op]) => ({ where: `${method} ${path}`, responses: op.responses })),
  );
  expect(idempotent.length).toBeGreaterThanOrEqual(19);
  for (const { where, responses } of idempotent) {
    expect(responses['409']?.description, where).toContain('idempotency-in-progress');
    expect(responses['409']?.content?.['application/problem+json'], where).toBeDefined();
    expect(responses['422']?.description, where).toContain('idempotency-key-reused');
  }
  // A route's own 409 keeps its meaning next to the idempotency one.
  const rotate = doc.paths['/v1/api-keys/{keyId}/rotate'].post.responses['409'].description;
  expect(rotate).toMatch(/^Conflicts with the current state/);
});
