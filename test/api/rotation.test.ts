import { cursorSecrets, type LocalState, operatorKeyHashes, rotateSecrets } from '@tandem/local';
import { describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, OPERATOR_KEY, testApp, uniqueEmail } from '../support/app.ts';

/** The API as `npm start` would run it on these stored secrets. */
function appOn(state: LocalState) {
  const operator = { key: state.operatorKey!, source: 'state' as const };
  return testApp({
    secrets: { cursor: cursorSecrets(state), operatorKeyHashes: operatorKeyHashes(state, operator) },
  });
}

describe('rotating the operator key and the cursor secret with an overlap', () => {
  test('the previous values keep working for one rotation, and stop at the next', async () => {
    const before: LocalState = { operatorKey: OPERATOR_KEY, cursorSecret: CURSOR_SECRET };
    const original = appOn(before);
    const tenant = await newTenant(original);
    for (const name of ['Ada', 'Ben', 'Cy'])
      await call(original, 'POST', '/v1/people', {
        key: tenant.key,
        body: { name, email: uniqueEmail(name) },
      });
    const firstPage = await call(original, 'GET', '/v1/people?limit=1', { key: tenant.key });
    const oldCursor = firstPage.json.nextCursor as string;
    const page = (app: typeof original, cursor: string) =>
      call(app, 'GET', `/v1/people?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: tenant.key });

    const rotated = rotateSecrets(before, new Date());
    expect(rotated.operatorKey).not.toBe(OPERATOR_KEY);
    expect(rotated.cursorSecret).not.toBe(CURSOR_SECRET);
    const during = appOn(rotated);
    // During the overlap: a cursor sealed before the rotation opens, both operator keys work.
    const second = await page(during, oldCursor);
    expect(second.status).toBe(200);
    expect(second.json.items[0].id).not.toBe(firstPage.json.items[0].id);
    for (const key of [OPERATOR_KEY, rotated.operatorKey])
      expect((await call(during, 'GET', '/v1/tenants?limit=1', { key })).status).toBe(200);
    const newCursor = second.json.nextCursor as string;
    // New cursors are sealed with the new secret: the app before the rotation cannot open them.
    expect((await page(original, newCursor)).status).toBe(422);

    const after = appOn(rotateSecrets(rotated, new Date()));
    const refused = await page(after, oldCursor);
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    expect((await page(after, newCursor)).status).toBe(200);
    expect((await call(after, 'GET', '/v1/tenants?limit=1', { key: OPERATOR_KEY })).status).toBe(401);
    expect((await call(after, 'GET', '/v1/tenants?limit=1', { key: rotated.operatorKey })).status).toBe(200);
  });
});
