import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

describe('one clock', () => {
  test('events carry the time of the clock that stamped their entity, and the caller tenant', async () => {
    const at = new Date('2031-05-04T10:20:30.000Z');
    const app = testApp({ now: () => at });
    const { key, tenantId } = await newTenant(app);
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: 'Clocked', email: uniqueEmail() },
    });
    expect(person.json.createdAt).toBe(at.toISOString());
    const events = (await call(app, 'GET', '/v1/events?type=person.created', { key })).json.items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ timestamp: at.toISOString(), tenantId });
  });
});
