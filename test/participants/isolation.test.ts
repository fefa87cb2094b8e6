import { TableDeliveryQueue } from '@tandem/local';
import { expect, test } from 'vitest';
import { call, testApp, testDb, uniqueEmail } from '../support/app.ts';
import {
  bodyFor,
  openApiDocument,
  pathFor,
  takesAnId,
  tenantOperations,
  tenantWithEverything,
} from '../support/operations.ts';
import { participantToken } from '../support/participants.ts';
import { fastPolicy } from '../support/webhooks.ts';

const app = testApp({ webhooks: { queue: new TableDeliveryQueue(testDb()), policy: fastPolicy } });

/**
 * The organization's library and its award types (what anyone may be nominated for) are shared
 * with every participant by design; they are nobody's own.
 */
const sharedLibrary = (template: string) =>
  (template.includes('{resourceId}') || template.includes('{awardTypeId}')) && !template.includes('/people/');

test("a participant reaches nothing of another person's: every operation that takes an id answers 404 (or 403 where no participant is ever let in), and changes nothing", {
  timeout: 240_000,
}, async () => {
  const doc = await openApiDocument(app);
  const a = await tenantWithEverything(app, 'Participants');
  // Eve: a person of the same organization, enrolled nowhere, in no relationship.
  const eve = await call(app, 'POST', '/v1/people', {
    key: a.key,
    body: { name: 'Eve Outsider', email: uniqueEmail('eve') },
  });
  const eveToken = await participantToken(app, a, eve.json.id);
  const adaToken = await participantToken(app, a, a.ids.personId!);

  const reads = tenantOperations(doc).filter((op) => op.method === 'GET' && takesAnId(op));
  const snapshot = () =>
    Promise.all(
      reads.map(async (op) => {
        const res = await call(app, 'GET', pathFor(op, a.ids), { key: a.key });
        if (res.status >= 400) return res.status;
        // An export states when it was made, and its audit section lists the refused attempts
        // naming the person (refusals are audited): the rest must not change.
        if (op.template.endsWith('/export')) {
          const { exportedAt: _, sections, ...rest } = res.json;
          return JSON.stringify({
            ...rest,
            sections: sections.filter((s: { name: string }) => s.name !== 'auditEntries'),
          });
        }
        return res.text;
      }),
    );
  const before = await snapshot();
  const ada = (await call(app, 'GET', `/v1/people/${a.ids.personId}`, { key: a.key })).json;

  const outcomes: Record<number, string[]> = { 403: [], 404: [] };
  for (const op of tenantOperations(doc).filter((op) => takesAnId(op) && !sharedLibrary(op.template))) {
    const body = bodyFor(op, doc.components.schemas, a.ids);
    const res = await call(app, op.method, pathFor(op, a.ids), { key: eveToken, body });
    expect([403, 404], `${op.label}: ${res.status} ${res.text}`).toContain(res.status);
    expect(res.text, op.label).not.toContain(ada.email);
    expect(res.text, op.label).not.toContain(ada.name);
    outcomes[res.status]!.push(op.label);
  }
  // A 403 says nothing about the ids only if the route refuses every participant, the member too.
  for (const label of outcomes[403]!) {
    const op = tenantOperations(doc).find((o) => o.label === label)!;
    const res = await call(app, op.method, pathFor(op, a.ids), {
      key: adaToken,
      body: bodyFor(op, doc.components.schemas, a.ids),
    });
    expect({ label, status: res.status }).toEqual({ label, status: 403 });
  }
  // The participant routes of today (relationship workspace, agreement, goals, milestones,
  // meetings, feedback, reflections, rematch requests, posts, a person's training) all answered 404.
  expect(outcomes[404]!.length).toBeGreaterThanOrEqual(39);
  expect(await snapshot()).toEqual(before);
  await a.hooks.close();
});
