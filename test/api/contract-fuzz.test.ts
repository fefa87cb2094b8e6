import { TableDeliveryQueue } from '@tandem/local';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { call, newTenant, OPERATOR_KEY, testApp, testDb, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { schemaArbitraries } from '../support/json-schema-arbitrary.ts';
import { participantToken } from '../support/participants.ts';
import { fastPolicy, receiver } from '../support/webhooks.ts';

// Webhook pings go to a local receiver and every host name resolves to loopback: nothing leaves the machine.
const app = testApp({ webhooks: { queue: new TableDeliveryQueue(testDb()), policy: fastPolicy } });

/**
 * Rules between fields or items, which JSON Schema cannot state: the schema says each in words
 * (a description), and these are the only 400s a body valid by the schema may get.
 */
const crossFieldRules = [
  /^\/endDate$/, // not before startDate
  /^\/enrollmentClosesAt$/, // after enrollmentOpensAt
  /\/circleSize\/target$/, // min ≤ target ≤ max
  /\/slots\/\d+\/end$/, // a slot ends after it starts
  /\/skills(Offered|Wanted)\/\d+\/name$/, // each skill once, compared case-insensitively
  /^\/(body|url|items|quiz)$/, // what a resource's kind needs; a quiz only on a training module
  /\/questions\/\d+\/correct\/\d+$/, // a correct answer names one of the question's options
  /^\/text$/, // a post has text, a link or both
  /^\/tags\/\d+$/, // each tag once, compared case-insensitively
  /\/milestoneTemplates\/\d+\/key$/, // each milestone key once
  /^\/duration$/, // an agreement's duration: exactly one of weeks and endDate
  /^\/externalIdSystem$/, // exactly when personClaim is not email
  /^\/questions\/\d+\/(id|options)$/, // question ids once; options exactly on choice questions, each once
  /^\/schedules\/\d+\/(kind|expiresInDays|everyDays|fitQuestionId|rematchOn)$/, // what each schedule kind needs
];

/**
 * Walks every operation of the generated OpenAPI document and throws valid, broken and random
 * input at it. Whatever comes in, the answer is never a 5xx, its status is one the operation
 * documents, and every error is a problem.
 * Routes added later are fuzzed without touching this file.
 */
// Thousands of requests: with other test files running beside it on a loaded 2-core machine, it
// takes several times what it takes alone.
test('no operation answers malformed or random input with a 5xx, an undocumented status or a non-problem error', {
  timeout: 600_000,
}, async () => {
  const doc = (await call(app, 'GET', '/openapi.json')).json;
  const { valid, broken } = schemaArbitraries(doc.components.schemas);
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  // The document's schemas once, for every operation's body to refer to: a body schema compiled
  // with the components inlined made ajv walk all of them again for each operation.
  ajv.addSchema({ $id: 'tandem:openapi', components: doc.components });
  const inDocument = (schema: unknown) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"tandem:openapi#/components/'));

  const fuzzed = await newTenant(app, 'Fuzzed');
  const { key } = fuzzed;
  const victim = await newTenant(app, 'Fuzzed via tenant routes');
  // The fuzzed tenant's audit log gains an entry for every refused write, thousands by the time its
  // export is fuzzed, and each export would read all of them: what the contract says of the audit
  // log's operations does not depend on its size (paging is tested in audit-log.test.ts), so they
  // are fuzzed on a tenant of their own, whose log holds little.
  const audited = await newTenant(app, 'Fuzzed audit log');
  const person = await call(app, 'POST', '/v1/people', { key, body: { name: 'Fuzz', email: uniqueEmail() } });
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Fuzz', format: 'peer_pairs' },
  });
  // Before the enrollment, so that enrolling opens its instance for the fuzzing participant.
  const survey = await call(app, 'POST', `/v1/programs/${program.json.id}/surveys`, {
    key,
    body: {
      title: 'Fuzz survey',
      questions: [{ id: 'confidence', kind: 'likert', prompt: 'Confident?' }],
      schedules: [{ kind: 'pre_program' }],
    },
  });
  const enrollment = await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
    key,
    body: { personId: person.json.id, role: 'peer' },
  });
  // More peers, a run awaiting review and a relationship, so run and relationship routes get real ids.
  const peers: string[] = [];
  for (const name of ['Fuzz B', 'Fuzz C', 'Fuzz D']) {
    const peer = await call(app, 'POST', '/v1/people', { key, body: { name, email: uniqueEmail() } });
    await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
      key,
      body: { personId: peer.json.id, role: 'peer' },
    });
    peers.push(peer.json.id);
  }
  const run = await call(app, 'POST', `/v1/programs/${program.json.id}/match-runs`, {
    key,
    body: { dryRun: true },
  });
  await eventually(async () => {
    const current = await call(app, 'GET', `/v1/programs/${program.json.id}/match-runs/${run.json.id}`, {
      key,
    });
    expect(current.json.status).toBe('awaiting_review');
  }, 60_000);
  const relationship = await call(app, 'POST', '/v1/relationships', {
    key,
    body: { programId: program.json.id, personIds: [peers[0], peers[1]] },
  });
  const resource = await call(app, 'POST', '/v1/resources', {
    key,
    body: { kind: 'article', title: 'Fuzz module', body: 'Listen first.', trainingModule: true },
  });
  const post = await call(app, 'POST', `/v1/programs/${program.json.id}/posts`, {
    key,
    body: { title: 'Fuzz', text: 'Hello' },
  });
  const reply = await call(app, 'POST', `/v1/programs/${program.json.id}/posts/${post.json.id}/replies`, {
    key,
    body: { text: 'Hi' },
  });
  const rematch = await call(app, 'POST', `/v1/relationships/${relationship.json.id}/rematch-requests`, {
    key: await participantToken(app, fuzzed, peers[0]!),
    body: { reason: 'mismatch' },
  });
  const goal = await call(app, 'POST', `/v1/relationships/${relationship.json.id}/goals`, {
    key,
    body: { title: 'Fuzz goal' },
  });
  const meeting = await call(app, 'POST', `/v1/relationships/${relationship.json.id}/meetings`, {
    key,
    body: { startsAt: new Date().toISOString(), timeZone: 'UTC', durationMinutes: 30 },
  });
  const feed = await call(app, 'POST', '/v1/me/calendar-feed', {
    key: await participantToken(app, fuzzed, peers[0]!),
  });
  const spareKey = await call(app, 'POST', '/v1/api-keys', {
    key,
    body: { name: 'Spare', scopes: ['read'] },
  });
  const hooks = await receiver();
  const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
  const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
  const recovery = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/recover`, {
    key,
    body: { since: new Date().toISOString() },
  });
  const provider = await call(app, 'POST', '/v1/identity-providers', {
    key,
    body: { issuer: 'https://idp.example.com/oauth2/default', audience: 'api://tandem/fuzz' },
  });
  const kudos = await call(app, 'POST', '/v1/kudos', {
    key,
    body: { senderId: peers[0], recipientId: person.json.id, message: 'Fuzz thanks' },
  });
  const rule = await call(app, 'POST', `/v1/programs/${program.json.id}/milestone-rules`, {
    key,
    body: { kind: 'meetings_held', count: 2, name: 'Fuzz rule' },
  });
  const hrisConnection = await call(app, 'POST', '/v1/hris-connections', {
    key,
    body: { provider: 'standard' },
  });
  const awardType = await call(app, 'POST', '/v1/award-types', {
    key,
    body: { name: 'Fuzz award', criteria: 'Helped', requiresApproval: false },
  });
  const nomination = await call(app, 'POST', '/v1/nominations', {
    key,
    body: { personId: person.json.id, awardTypeId: awardType.json.id, reason: 'Helped' },
  });
  const announced = await eventually(async () => {
    const events = await call(app, 'GET', '/v1/events?type=recognition.awarded', { key });
    expect(events.json.items).toHaveLength(1);
    return events.json.items[0].data as { certificateUrl: string };
  }, 60_000);
  // Participants' own routes (/v1/me…) are fuzzed with the enrolled person's token.
  const participant = await participantToken(app, fuzzed, person.json.id);
  const instances = await call(app, 'GET', '/v1/me/surveys', { key: participant });
  // Path ids point at real resources (so handlers run past the lookup), but never at the
  // credentials the fuzz itself uses.
  const realIds: Record<string, string> = {
    personId: person.json.id,
    programId: program.json.id,
    enrollmentId: enrollment.json.id,
    keyId: spareKey.json.id,
    tenantId: victim.tenantId,
    endpointId: endpoint.json.id,
    deliveryId: ping.json.id,
    recoveryId: recovery.json.id,
    runId: run.json.id,
    relationshipId: relationship.json.id,
    resourceId: resource.json.id,
    postId: post.json.id,
    replyId: reply.json.id,
    rematchRequestId: rematch.json.id,
    goalId: goal.json.id,
    milestoneKey: 'midpoint_review',
    meetingId: meeting.json.id,
    // The calendar feed's file name (token + .ics): the operation that takes no credentials.
    feed: new URL(feed.json.url).pathname.split('/').at(-1)!,
    providerId: provider.json.id,
    kudosId: kudos.json.id,
    ruleId: rule.json.id,
    surveyId: survey.json.id,
    instanceId: instances.json.items[0].id,
    connectionId: hrisConnection.json.id,
    credentialId: hrisConnection.json.secrets[0].id,
    dataset: 'meetings',
    awardTypeId: awardType.json.id,
    nominationId: nomination.json.id,
    awardId: nomination.json.awardId,
    // The signed certificate link's token: the other operation that takes no credentials.
    link: new URL(announced.certificateUrl).pathname.split('/').at(-1)!,
  };

  let operations = 0;
  for (const [template, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      operations++;
      const credential = template.startsWith('/v1/tenants')
        ? OPERATOR_KEY
        : template.startsWith('/v1/me')
          ? participant
          : template.startsWith('/v1/audit-log')
            ? audited.key
            : key;
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const queryParams = (op.parameters ?? []).filter((p: any) => p.in === 'query');
      const pathParam = fc.oneof(fc.constant('real'), fc.constant('random'), fc.string({ maxLength: 40 }));
      const body = bodySchema
        ? fc.oneof(valid(bodySchema), broken(bodySchema), broken(bodySchema), fc.jsonValue())
        : fc.constant(undefined);
      const query = fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(...(queryParams.length ? queryParams.map((p: any) => p.name) : ['q'])),
            fc.string({ maxLength: 8 }),
          ),
          fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constant('')),
        ),
        { maxLength: 3 },
      );

      await fc.assert(
        fc.asyncProperty(pathParam, body, query, async (idChoice, payload, pairs) => {
          const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
            idChoice === 'real'
              ? realIds[name]!
              : idChoice === 'random'
                ? `${realIds[name]!.slice(0, 4)}01jd5x3n7a8q9w0e1r2t3y4z5v`
                : encodeURIComponent(idChoice),
          );
          const search = new URLSearchParams(pairs).toString();
          const res = await call(app, method.toUpperCase(), `${path}${search ? `?${search}` : ''}`, {
            key: credential,
            body: payload,
          });
          const where = `${method.toUpperCase()} ${path}?${search} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          expect(Object.keys(op.responses), `${where}: status not documented`).toContain(String(res.status));
          if (res.status >= 400) {
            expect(res.headers.get('content-type'), where).toBe('application/problem+json');
            expect(res.json, where).toMatchObject({
              status: res.status,
              type: expect.any(String),
              title: expect.any(String),
            });
          }
        }),
        { numRuns: 40, seed: 20261123 },
      );

      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => realIds[name]!);

      // Query values the document accepts are not refused. Cursors are opaque: only the server's own are valid.
      const stated = queryParams.filter((p: { name: string }) => p.name !== 'cursor');
      if (stated.length)
        await fc.assert(
          fc.asyncProperty(
            fc.record(Object.fromEntries(stated.map((p: any) => [p.name, valid(p.schema)])), {
              requiredKeys: [],
            }),
            async (values) => {
              const search = new URLSearchParams(
                Object.entries(values).map(([name, value]): [string, string] => [name, String(value)]),
              ).toString();
              const res = await call(app, method.toUpperCase(), `${path}?${search}`, { key: credential });
              expect(
                res.status,
                `${method.toUpperCase()} ${path}?${search} → ${res.text.slice(0, 300)}`,
              ).not.toBe(400);
            },
          ),
          { numRuns: 40, seed: 20261125 },
        );

      // A body the document accepts is not refused for a reason the document could have stated.
      if (!bodySchema) continue;
      const fitsDocument = ajv.compile(inDocument(bodySchema));
      await fc.assert(
        fc.asyncProperty(valid(bodySchema), async (payload) => {
          fc.pre(fitsDocument(payload));
          const res = await call(app, method.toUpperCase(), path, { key: credential, body: payload });
          const where = `${method.toUpperCase()} ${path} ${JSON.stringify(payload).slice(0, 300)} → ${res.status} ${res.text.slice(0, 300)}`;
          const unstated =
            res.status === 400
              ? (res.json.errors ?? [{ field: '' }]).filter(
                  (e: { field: string }) => !crossFieldRules.some((rule) => rule.test(e.field)),
                )
              : [];
          expect(unstated, where).toEqual([]);
        }),
        { numRuns: 40, seed: 20261124 },
      );
    }
  }
  expect(operations).toBeGreaterThanOrEqual(24);
  await hooks.close();
});
