import { randomUUID } from 'node:crypto';
import { DbPriority, startHrisThread } from '@tandem/local';
import { expect, inject, test, vi } from 'vitest';
import { CURSOR_SECRET, testApp, testDb, uniqueEmail } from '../support/app.ts';
import { connected, sign } from '../support/hris.ts';

test('npm start’s HRIS worker thread applies what the API thread acknowledged', async () => {
  const db = testDb();
  const errors: Error[] = [];
  const thread = startHrisThread({
    endpoint: inject('dynamoEndpoint'),
    db,
    cursorSecret: CURSOR_SECRET,
    queueName: `HRIS_TEST_${randomUUID()}`,
    priority: new DbPriority(),
    onError: (error) => errors.push(error),
  });
  try {
    const app = testApp({ hris: { queue: thread.queue } });
    const c = await connected(app, 'standard');
    const email = uniqueEmail('thread');
    const body = JSON.stringify({
      type: 'employee.created',
      timestamp: new Date().toISOString(),
      data: { externalId: 'T-1', name: 'Tess Thread', email, department: 'Ops' },
    });
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(202);
    // Nothing in this thread applies it: the worker thread was woken by the queue and did.
    await vi.waitFor(async () => expect(await c.person(email)).toMatchObject({ name: 'Tess Thread' }), {
      timeout: 60_000,
      interval: 200,
    });
    expect((await c.log()).map((entry) => entry.outcome)).toEqual(['applied', 'accepted']);
  } finally {
    await thread.stop();
  }
  expect(errors).toEqual([]);
});
