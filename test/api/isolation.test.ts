import { TableDeliveryQueue } from '@tandem/local';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, testDb, uniqueEmail } from '../support/app.ts';
import {
  bodyFor,
  openApiDocument,
  participantOnly,
  pathFor,
  takesAnId,
  tenantOperations,
  tenantWithEverything,
} from '../support/operations.ts';
import { participantToken } from '../support/participants.ts';
import { fastPolicy } from '../support/webhooks.ts';

// Webhook endpoints point at a local receiver; every host name resolves to loopback.
const app = testApp({ webhooks: { queue: new TableDeliveryQueue(testDb()), policy: fastPolicy } });

/** Tenant A with one of everything, and tenant B that must never see any of it. */
async function twoTenants() {
  const a = await newTenant(app, 'Tenant A');
  const b = await newTenant(app, 'Tenant B');
  const person = await call(app, 'POST', '/v1/people', {
    key: a.key,
    body: { name: 'A person', email: uniqueEmail() },
  });
  return { a, b, ids: { person: person.json.id as string } };
}

describe('tenant isolation', () => {
  test("every operation that takes an id answers 404 to another tenant's real ids, and changes nothing", {
    timeout: 180_000,
  }, async () => {
    const doc = await openApiDocument(app);
    const a = await tenantWithEverything(app, 'Tenant A');
    const b = await newTenant(app, 'Tenant B');
    const reads = tenantOperations(doc).filter((op) => op.method === 'GET' && takesAnId(op));
    // A read A's own key may not make (a member's private note) answers a problem, whose request id
    // differs on every call: its status is what must not change.
    const snapshot = async () =>
      Promise.all(
        reads.map(async (op) => {
          const res = await call(app, 'GET', pathFor(op, a.ids), { key: a.key });
          // An export states when it was made: that alone may differ between two reads.
          return res.status >= 400 ? res.status : res.text.replace(/"exportedAt":"[^"]*"/, '');
        }),
      );
    const before = await snapshot();
    // Names A alone knows: none may appear in what B gets back (A's ids may, in the problem's instance).
    const secrets = (await call(app, 'GET', `/v1/people/${a.ids.personId}`, { key: a.key })).json;

    // Participants' own routes (/v1/me…) refuse API keys outright: B's participant tries them.
    const bPerson = await call(app, 'POST', '/v1/people', {
      key: b.key,
      body: { name: 'B', email: uniqueEmail() },
    });
    const bParticipant = await participantToken(app, b, bPerson.json.id);
    const attempted: string[] = [];
    // Participant-only routes refuse every API key (403); participants' own isolation is tested with their tokens.
    for (const op of tenantOperations(doc).filter((op) => takesAnId(op) && !participantOnly(op))) {
      const body = bodyFor(op, doc.components.schemas, a.ids);
      const key = op.template.startsWith('/v1/me/') ? bParticipant : b.key;
      const res = await call(app, op.method, pathFor(op, a.ids), { key, body });
      expect({ op: op.label, status: res.status }, res.text).toEqual({ op: op.label, status: 404 });
      expect(res.text, op.label).not.toContain(secrets.email);
      expect(res.text, op.label).not.toContain(secrets.name);
      attempted.push(op.label);
    }
    // Today's document has 33 such operations; routes added later join without touching this file.
    expect(attempted.length).toBeGreaterThanOrEqual(33);
    expect(await snapshot()).toEqual(before);
    await a.hooks.close();
  });

  test("B's own people cannot point at A's people", async () => {
    const { b, ids } = await twoTenants();
    const res = await call(app, 'POST', '/v1/people', {
      key: b.key,
      body: { name: 'B person', email: uniqueEmail(), managerId: ids.person },
    });
    expect(res.status).toBe(422);
  });

  test("lists never leak, and one tenant's cursor is useless to another", async () => {
    const { a, b } = await twoTenants();
    for (const path of ['/v1/people', '/v1/programs', '/v1/api-keys']) {
      const mine = await call(app, 'GET', path, { key: b.key });
      const theirs = await call(app, 'GET', path, { key: a.key });
      const theirIds = new Set(theirs.json.items.map((i: { id: string }) => i.id));
      expect(mine.json.items.some((i: { id: string }) => theirIds.has(i.id))).toBe(false);
    }
    for (let i = 0; i < 2; i++)
      await call(app, 'POST', '/v1/people', { key: a.key, body: { name: 'More', email: uniqueEmail() } });
    const page = await call(app, 'GET', '/v1/people?limit=1', { key: a.key });
    expect(page.json.nextCursor).toBeTruthy();
    const stolen = await call(app, 'GET', `/v1/people?limit=1&cursor=${page.json.nextCursor}`, {
      key: b.key,
    });
    expect(stolen.status).toBe(422);
  });
});
