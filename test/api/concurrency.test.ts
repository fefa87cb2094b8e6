import { expect, test } from 'vitest';
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
