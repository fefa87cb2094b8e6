import { timeZone } from '@tandem/core';
import { CursorCodec, EventsRepository } from '@tandem/store';
import { describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testApp, testDb, uniqueEmail } from '../support/app.ts';

const app = testApp();

describe('HTTP conventions', () => {
  test('request ids are echoed or generated, and appear in problems', async () => {
    const echoed = await call(app, 'GET', '/v1/people', { headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
    expect(echoed.json.requestId).toBe('trace-123');
    const generated = await call(app, 'GET', '/v1/people', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown routes, malformed JSON, wrong media types and huge bodies are problems', async () => {
    const { key } = await newTenant(app);
    const missing = await call(app, 'GET', '/v1/nothing-here', { key });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');

    const malformed = await call(app, 'POST', '/v1/people', { key, body: '{"name": "Dana",' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0]).toMatchObject({ field: '/', in: 'body' });

    const text = await call(app, 'POST', '/v1/people', {
      key,
      body: 'name=Dana',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);

    const noBody = await call(app, 'POST', '/v1/people', { key });
    expect(noBody.status).toBe(400);

    const huge = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: 'x'.repeat(300_000), email: uniqueEmail() },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toBe('application/problem+json');
  });

  test('query integers are plain decimal digits; anything else is a 400 naming the parameter', async () => {
    const { key } = await newTenant(app);
    for (const limit of ['1e1', '0x10', '%205', '10.0', '+5', '-1', '0', '101', '', '99999999999'])
      expect((await call(app, 'GET', `/v1/people?limit=${limit}`, { key })).json, limit).toMatchObject({
        status: 400,
        errors: [expect.objectContaining({ field: 'limit', in: 'query' })],
      });
    const page = await call(app, 'GET', '/v1/people?limit=007', { key });
    expect(page.status).toBe(200);
  });

  test('every change writes its domain event to the outbox in the same transaction', async () => {
    const { key, tenantId } = await newTenant(app);
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: 'Evented', email: uniqueEmail() },
    });
    await call(app, 'PATCH', `/v1/people/${person.json.id}`, { key, body: { title: 'Lead' } });
    const program = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'P', format: 'peer_pairs' },
    });
    const enrollment = await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
      key,
      body: { personId: person.json.id, role: 'peer' },
    });
    await call(app, 'DELETE', `/v1/programs/${program.json.id}/enrollments/${enrollment.json.id}`, { key });
    await call(app, 'POST', `/v1/programs/${program.json.id}/transitions`, { key, body: { to: 'archived' } });
    // A rejected change writes no event.
    await call(app, 'POST', '/v1/people', { key, body: { name: 'Dup', email: person.json.email } });

    const events = await new EventsRepository(testDb(), tenantId, new CursorCodec(CURSOR_SECRET)).list(
      {},
      { limit: 100 },
    );
    expect(events.items.map((e) => e.type)).toEqual([
      'tenant.created',
      'person.created',
      'person.updated',
      'program.created',
      'enrollment.created',
      'enrollment.withdrawn',
      'program.status_changed',
    ]);
    expect(events.items[1]).toMatchObject({ tenantId, data: { personId: person.json.id } });
    expect(events.items.at(-1)!.data).toMatchObject({ from: 'draft', to: 'archived' });
  });
});

describe('documentation', () => {
  test('/openapi.json documents every route with schemas and problem responses', async () => {
    const doc = (await call(app, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, any>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual(
      [
        'GET /v1/api-keys',
        'POST /v1/api-keys',
        'GET /v1/api-keys/{keyId}',
        'DELETE /v1/api-keys/{keyId}',
        'POST /v1/api-keys/{keyId}/rotate',
        'GET /v1/audit-log',
        'GET /v1/audit-log/export',
        'GET /v1/people',
        'POST /v1/people',
        'POST /v1/people/{personId}/erasure',
        'GET /v1/people/{personId}',
        'GET /v1/people/{personId}/export',
        'PATCH /v1/people/{personId}',
        'GET /v1/programs',
        'POST /v1/programs',
        'GET /v1/programs/{programId}',
        'PATCH /v1/programs/{programId}',
        'DELETE /v1/programs/{programId}',
        'POST /v1/programs/{programId}/transitions',
        'GET /v1/programs/{programId}/enrollments',
        'POST /v1/programs/{programId}/enrollments',
        'GET /v1/programs/{programId}/enrollments/{enrollmentId}',
        'PATCH /v1/programs/{programId}/enrollments/{enrollmentId}',
        'DELETE /v1/programs/{programId}/enrollments/{enrollmentId}',
        'GET /v1/tenants',
        'POST /v1/tenants',
        'GET /v1/tenants/{tenantId}',
        'PATCH /v1/tenants/{tenantId}',
        'POST /v1/programs/{programId}/match-runs',
        'GET /v1/programs/{programId}/match-runs',
        'GET /v1/programs/{programId}/exports/{dataset}',
        'GET /v1/programs/{programId}/report',
        'GET /v1/programs/{programId}/match-runs/{runId}',
        'GET /v1/programs/{programId}/match-runs/{runId}/proposals',
        'POST /v1/programs/{programId}/match-runs/{runId}/decisions',
        'POST /v1/programs/{programId}/match-runs/{runId}/publish',
        'POST /v1/programs/{programId}/match-runs/{runId}/cancel',
        'POST /v1/relationships',
        'GET /v1/relationships',
        'GET /v1/relationships/{relationshipId}',
        'GET /v1/relationships/{relationshipId}/workspace',
        'POST /v1/relationships/{relationshipId}/dissolve',
        'POST /v1/relationships/{relationshipId}/complete',
        'POST /v1/resources',
        'GET /v1/resources',
        'GET /v1/resources/{resourceId}',
        'PATCH /v1/resources/{resourceId}',
        'POST /v1/resources/{resourceId}/archive',
        'GET /v1/me/training',
        'POST /v1/me/training/{resourceId}/completion',
        'GET /v1/people/{personId}/training',
        'POST /v1/relationships/{relationshipId}/reflection',
        'GET /v1/relationships/{relationshipId}/reflections',
        'POST /v1/relationships/{relationshipId}/rematch-requests',
        'GET /v1/relationships/{relationshipId}/rematch-requests',
        'GET /v1/rematch-requests',
        'GET /v1/rematch-requests/{rematchRequestId}',
        'POST /v1/rematch-requests/{rematchRequestId}/resolve',
        'GET /v1/me/rematch-requests',
        'POST /v1/programs/{programId}/posts',
        'GET /v1/programs/{programId}/posts',
        'GET /v1/programs/{programId}/posts/{postId}',
        'PATCH /v1/programs/{programId}/posts/{postId}',
        'DELETE /v1/programs/{programId}/posts/{postId}',
        'POST /v1/programs/{programId}/posts/{postId}/replies',
        'DELETE /v1/programs/{programId}/posts/{postId}/replies/{replyId}',
        'POST /v1/programs/{programId}/posts/{postId}/hide',
        'POST /v1/programs/{programId}/posts/{postId}/unhide',
        'POST /v1/programs/{programId}/posts/{postId}/replies/{replyId}/hide',
        'POST /v1/programs/{programId}/posts/{postId}/replies/{replyId}/unhide',
        'GET /v1/relationships/{relationshipId}/agreement',
        'PUT /v1/relationships/{relationshipId}/agreement',
        'PATCH /v1/relationships/{relationshipId}/agreement',
        'POST /v1/relationships/{relationshipId}/agreement/accept',
        'GET /v1/relationships/{relationshipId}/agreement/versions',
        'GET /v1/relationships/{relationshipId}/goals',
        'POST /v1/relationships/{relationshipId}/goals',
        'GET /v1/relationships/{relationshipId}/goals/{goalId}',
        'PATCH /v1/relationships/{relationshipId}/goals/{goalId}',
        'GET /v1/relationships/{relationshipId}/goals/{goalId}/updates',
        'POST /v1/relationships/{relationshipId}/goals/{goalId}/updates',
        'GET /v1/relationships/{relationshipId}/milestones',
        'POST /v1/relationships/{relationshipId}/milestones/{milestoneKey}/reach',
        'POST /v1/relationships/{relationshipId}/meetings',
        'GET /v1/relationships/{relationshipId}/meetings',
        'GET /v1/relationships/{relationshipId}/meetings/{meetingId}',
        'PATCH /v1/relationships/{relationshipId}/meetings/{meetingId}',
        'POST /v1/relationships/{relationshipId}/meetings/{meetingId}/log',
        'GET /v1/relationships/{relationshipId}/meetings/{meetingId}/private-note',
        'PUT /v1/relationships/{relationshipId}/meetings/{meetingId}/private-note',
        'POST /v1/relationships/{relationshipId}/meetings/{meetingId}/feedback',
        'GET /v1/relationships/{relationshipId}/meetings/{meetingId}/my-feedback',
        'GET /v1/relationships/{relationshipId}/meetings/{meetingId}/feedback-summary',
        'GET /v1/relationships/{relationshipId}/feedback-summary',
        'POST /v1/me/calendar-feed',
        'DELETE /v1/me/calendar-feed',
        'GET /v1/calendar-feeds/{feed}',
        'GET /v1/event-types',
        'GET /v1/events',
        'GET /v1/webhook-endpoints',
        'POST /v1/webhook-endpoints',
        'GET /v1/webhook-endpoints/{endpointId}',
        'PATCH /v1/webhook-endpoints/{endpointId}',
        'DELETE /v1/webhook-endpoints/{endpointId}',
        'POST /v1/webhook-endpoints/{endpointId}/rotate-secret',
        'POST /v1/webhook-endpoints/{endpointId}/test',
        'POST /v1/webhook-endpoints/{endpointId}/recover',
        'GET /v1/webhook-endpoints/{endpointId}/recoveries/{recoveryId}',
        'GET /v1/webhook-endpoints/{endpointId}/deliveries',
        'GET /v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}',
        'POST /v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver',
        'GET /v1/identity-providers',
        'POST /v1/identity-providers',
        'GET /v1/identity-providers/{providerId}',
        'PATCH /v1/identity-providers/{providerId}',
        'DELETE /v1/identity-providers/{providerId}',
        'POST /v1/scim-token',
        'GET /v1/scim-token',
        'DELETE /v1/scim-token',
        'GET /v1/me',
        'PATCH /v1/me',
        'POST /v1/me/enrollments',
        'POST /v1/me/enrollments/{enrollmentId}/withdraw',
        'POST /v1/kudos',
        'GET /v1/kudos/{kudosId}',
        'DELETE /v1/kudos/{kudosId}',
        'GET /v1/recognition-feed',
        'GET /v1/recognition-settings',
        'PUT /v1/recognition-settings',
        'POST /v1/programs/{programId}/milestone-rules',
        'GET /v1/programs/{programId}/milestone-rules',
        'DELETE /v1/programs/{programId}/milestone-rules/{ruleId}',
        'GET /v1/people/{personId}/milestones-earned',
        'GET /v1/me/milestones-earned',
        'GET /v1/relationships/{relationshipId}/health',
        'GET /v1/programs/{programId}/at-risk',
        'GET /v1/programs/{programId}/analytics',
        'POST /v1/programs/{programId}/analytics/recompute',
        'GET /v1/programs/{programId}/analytics/recompute',
        'POST /v1/programs/{programId}/surveys',
        'GET /v1/programs/{programId}/surveys',
        'GET /v1/programs/{programId}/surveys/{surveyId}',
        'PATCH /v1/programs/{programId}/surveys/{surveyId}',
        'GET /v1/programs/{programId}/surveys/{surveyId}/results',
        'GET /v1/programs/{programId}/surveys/{surveyId}/responses',
        'GET /v1/me/surveys',
        'GET /v1/me/surveys/{instanceId}',
        'PUT /v1/me/surveys/{instanceId}/response',
        'POST /v1/hris-connections',
        'GET /v1/hris-connections',
        'GET /v1/hris-connections/{connectionId}',
        'PATCH /v1/hris-connections/{connectionId}',
        'DELETE /v1/hris-connections/{connectionId}',
        'POST /v1/hris-connections/{connectionId}/secrets',
        'DELETE /v1/hris-connections/{connectionId}/secrets/{credentialId}',
        'GET /v1/hris-connections/{connectionId}/events',
        'POST /v1/hris/{connectionId}/webhooks',
        'GET /v1/people-source',
        'PUT /v1/people-source',
        'POST /v1/award-types',
        'GET /v1/award-types',
        'GET /v1/award-types/{awardTypeId}',
        'GET /v1/award-types/{awardTypeId}/badge',
        'POST /v1/nominations',
        'GET /v1/nominations',
        'GET /v1/nominations/{nominationId}',
        'POST /v1/nominations/{nominationId}/approve',
        'POST /v1/nominations/{nominationId}/reject',
        'GET /v1/people/{personId}/awards',
        'GET /v1/programs/{programId}/awards',
        'GET /v1/me/awards',
        'GET /v1/awards/{awardId}',
        'GET /v1/awards/{awardId}/certificate',
        'GET /v1/certificates/{link}',
      ].sort(),
    );
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      expect(op.responses['400']?.content?.['application/problem+json'], where).toBeDefined();
      // An operation without credentials (security: []) cannot answer 401.
      if (op.security?.length !== 0) expect(op.responses['401'], where).toBeDefined();
      // Actions without input (a test ping, a redelivery) take no body; every other body is required.
      if (method === 'patch' || op.requestBody) expect(op.requestBody?.required, where).toBe(true);
      // HR systems post webhooks without Idempotency-Key: deliveries deduplicate by event id or body hash.
      if (method === 'post' && path !== '/v1/hris/{connectionId}/webhooks')
        expect(
          op.parameters.some(
            (p: { name: string; in: string }) => p.in === 'header' && p.name === 'idempotency-key',
          ),
          where,
        ).toBe(true);
      // Revoking a key or the SCIM token is idempotent and neither carries a version, so only
      // versioned resources take If-Match.
      if (
        method === 'patch' ||
        (method === 'delete' && !path.startsWith('/v1/api-keys') && path !== '/v1/scim-token')
      )
        expect(
          op.parameters.some((p: { name: string }) => p.name === 'if-match'),
          where,
        ).toBe(true);
    }
    expect(doc.components.schemas.Person.properties.email).toBeDefined();
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  test('every operation is named, described, tagged and lists every status it can answer', async () => {
    const doc = (await call(app, 'GET', '/openapi.json')).json;
    expect(doc.servers?.length).toBeGreaterThan(0);
    const declaredTags = new Map(doc.tags.map((t: { name: string; description: string }) => [t.name, t]));
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths))
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(operationIds.has(op.operationId), `${where} repeats ${op.operationId}`).toBe(false);
        operationIds.add(op.operationId);
        expect(op.summary, where).toBeTruthy();
        expect(op.description?.length, where).toBeGreaterThan(20);
        expect(op.tags?.length, where).toBeGreaterThan(0);
        for (const tag of op.tags)
          expect((declaredTags.get(tag) as any)?.description, `${where} ${tag}`).toBeTruthy();

        const statuses = Object.keys(op.responses);
        const credentialed = op.security?.length !== 0;
        for (const status of ['400', ...(credentialed ? ['401', '403'] : []), '429', '500'])
          expect(statuses, where).toContain(status);
        expect(op.responses['429'].headers['Retry-After'], where).toBeDefined();
        if (op.requestBody) expect(statuses, where).toEqual(expect.arrayContaining(['413', '415']));
        // Only a JSON body can be of the wrong media type, and a GET carries no body to be too large.
        else expect(statuses, where).not.toContain('415');
        if (method === 'get') expect(statuses, where).not.toContain('413');
        else expect(statuses, where).toContain('413');
        if (op.parameters?.some((p: { name: string }) => p.name === 'idempotency-key')) {
          expect(op.responses['409']?.description, where).toContain('idempotency-in-progress');
          expect(op.responses['422']?.description, where).toContain('idempotency-key-reused');
        }
        for (const param of op.parameters ?? [])
          if (param.in === 'query' && param.schema.type === 'integer')
            expect(param.schema, `${where} ${param.name}`).toMatchObject({
              format: 'int32',
              minimum: expect.any(Number),
              maximum: expect.any(Number),
            });
      }
  });

  test('the schemas state the rules the server applies', async () => {
    const { schemas } = (await call(app, 'GET', '/openapi.json')).json.components;
    // A merge patch removes availability with null, so the schema must take null.
    const availability = schemas.EnrollmentPatch.properties.availability;
    const resolved = availability.$ref ? schemas[availability.$ref.split('/').at(-1)] : availability;
    const nullable =
      [resolved.type].flat().includes('null') || (resolved.anyOf ?? []).some((s: any) => s.type === 'null');
    expect(nullable).toBe(true);
    expect(schemas.TimeZone.enum).toEqual(expect.arrayContaining(['Europe/Berlin', 'Asia/Kolkata', 'UTC']));
    for (const zone of schemas.TimeZone.enum) expect(timeZone.safeParse(zone).success, zone).toBe(true);
    expect(new RegExp(schemas.PersonInput.properties.email.pattern).test('a..b@example.com')).toBe(false);
    expect(schemas.MatchingWeights.properties.skills.multipleOf).toBe(0.0001);
    expect(schemas.ApiKeyInput.properties.scopes.uniqueItems).toBe(true);
    expect(schemas.PersonInput.properties.background.propertyNames.pattern).toBeDefined();
    for (const schema of Object.values<any>(schemas))
      for (const [name, property] of Object.entries<any>(schema.properties ?? {}))
        if ([property.type].flat().includes('integer')) expect(property.format, name).toMatch(/^int(32|64)$/);
  });

  test('/docs serves a browsable reference', async () => {
    const res = await call(app, 'GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    // Relative, so it resolves under API Gateway's /<stage>/ prefix too.
    expect(res.text).toContain('"openapi.json"');
  });
});
