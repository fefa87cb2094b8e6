import { retryOnFreshState } from '@tandem/app';
import { ConflictError, NotFoundError, PreconditionFailedError } from '@tandem/core';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

const app = testApp();

test('20 parallel updates with the same If-Match: exactly one succeeds', async () => {
  const { key } = await newTenant(app);
  const person = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'Contended', email: uniqueEmail() },
  });
  const etag = person.headers.get('etag')!;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      call(app, 'PATCH', `/v1/people/${person.json.id}`, {
        key,
        headers: { 'if-match': etag },
        body: { title: `Writer ${i}` },
      }),
    ),
  );
  const winners = results.filter((r) => r.status === 200);
  expect(winners).toHaveLength(1);
  expect(results.filter((r) => r.status === 412)).toHaveLength(19);
  const final = await call(app, 'GET', `/v1/people/${person.json.id}`, { key });
  expect(final.json).toMatchObject({ version: 2, title: winners[0]!.json.title });
});

test('parallel updates without If-Match are all applied, none lost', async () => {
  const { key } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Busy', format: 'peer_pairs' },
  });
  const results = await Promise.all(
    Array.from({ length: 3 }, (_, i) =>
      call(app, 'PATCH', `/v1/programs/${program.json.id}`, {
        key,
        body: { objectives: [`Objective ${i}`] },
      }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
  const final = await call(app, 'GET', `/v1/programs/${program.json.id}`, { key });
  expect(final.json.version).toBe(4);
});

test('20 parallel updates of one person without If-Match all land, none lost', async () => {
  const { key } = await newTenant(app);
  const person = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'Popular', email: uniqueEmail() },
  });
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      call(app, 'PATCH', `/v1/people/${person.json.id}`, { key, body: { interests: [`Interest ${i}`] } }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
  const final = await call(app, 'GET', `/v1/people/${person.json.id}`, { key });
  expect(final.json.version).toBe(21);
  expect(new Set(results.map((r) => r.json.version)).size).toBe(20);
});

test('10 parallel secret rotations of one endpoint all succeed, each on the version before it', async () => {
  const { key } = await newTenant(app);
  const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
    key,
    body: { url: 'https://93.184.216.34/hooks' },
  });
  expect(endpoint.status).toBe(201);
  const results = await Promise.all(
    Array.from({ length: 10 }, () =>
      call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/rotate-secret`, { key, body: {} }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
  expect(new Set(results.map((r) => r.json.secret)).size).toBe(10);
  const final = await call(app, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}`, { key });
  expect(final.json.version).toBe(11);
  // With If-Match the client owns the race, as on every other write.
  const stale = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/rotate-secret`, {
    key,
    headers: { 'if-match': '"10"' },
    body: {},
  });
  expect(stale.status).toBe(412);
});

test('racing ends of one relationship without If-Match: one wins, the other is refused by the rule (409)', async () => {
  const { key } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Pairs', format: 'peer_pairs' },
  });
  const personIds: string[] = [];
  for (const name of ['Ada', 'Grace']) {
    const person = await call(app, 'POST', '/v1/people', { key, body: { name, email: uniqueEmail() } });
    await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
      key,
      body: { personId: person.json.id, role: 'peer' },
    });
    personIds.push(person.json.id);
  }
  const pair = await call(app, 'POST', '/v1/relationships', {
    key,
    body: { programId: program.json.id, personIds },
  });
  expect(pair.status).toBe(201);
  const results = await Promise.all([
    call(app, 'POST', `/v1/relationships/${pair.json.id}/complete`, { key }),
    call(app, 'POST', `/v1/relationships/${pair.json.id}/dissolve`, { key, body: { reason: 'no_time' } }),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
});

describe('retrying on fresh state', () => {
  test('keeps going past any fixed number of lost races', async () => {
    let attempts = 0;
    const value = await retryOnFreshState(async () => {
      if (++attempts < 12) throw new PreconditionFailedError('changed');
      return 'written';
    });
    expect(value).toBe('written');
    expect(attempts).toBe(12);
  });

  test('past its budget answers a conflict, not a failed precondition; other errors pass at once', async () => {
    const lost = () => Promise.reject(new PreconditionFailedError('changed'));
    await expect(retryOnFreshState(lost, 0)).rejects.toBeInstanceOf(ConflictError);
    let attempts = 0;
    const gone = () => {
      attempts++;
      return Promise.reject(new NotFoundError('gone'));
    };
    await expect(retryOnFreshState(gone)).rejects.toBeInstanceOf(NotFoundError);
    expect(attempts).toBe(1);
  });
});
