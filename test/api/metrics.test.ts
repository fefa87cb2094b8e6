import { newId } from '@tandem/core';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

describe('API metrics', () => {
  test('client and server errors are counted by route pattern, successes not at all', async () => {
    const counted: { name: string; dimensions: Record<string, string> }[] = [];
    const metrics = {
      count: (name: string, dimensions: Record<string, string>) => counted.push({ name, dimensions }),
    };
    const unavailable = {
      start: () => Promise.reject(new Error('Step Functions unavailable')),
      stop: async () => {},
    };
    const app = testApp({ metrics, matching: { starter: unavailable } });
    const { key } = await newTenant(app);
    counted.length = 0;

    expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(200);
    expect((await call(app, 'GET', `/v1/people/${newId('person')}`, { key })).status).toBe(404);
    expect((await call(app, 'GET', '/v1/people')).status).toBe(401);
    // Step Functions refusing StartExecution: the API's fault, a 500.
    const program = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'P', format: 'peer_pairs' },
    });
    for (const department of ['Eng', 'Sales']) {
      const person = await call(app, 'POST', '/v1/people', {
        key,
        body: { name: department, email: uniqueEmail(), department },
      });
      await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
        key,
        body: { personId: person.json.id, role: 'peer' },
      });
    }
    const started = await call(app, 'POST', `/v1/programs/${program.json.id}/match-runs`, { key, body: {} });
    expect(started.status).toBe(500);

    expect(counted).toEqual([
      { name: 'ClientErrors', dimensions: { route: 'GET /v1/people/:personId' } },
      { name: 'ClientErrors', dimensions: { route: 'GET /v1/people' } },
      { name: 'ServerErrors', dimensions: { route: 'POST /v1/programs/:programId/match-runs' } },
    ]);
  });
});
