import type { Reaction } from '@tandem/app';
import type { StoredEvent } from '@tandem/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, newTenant, uniqueEmail } from '../support/app.ts';
import { reactionsRuntime } from '../support/reactions.ts';

// A reaction of the test's own: it records what reaches it, and fails once when told to, which is
// what the runtime's delivery guarantees are about (the real reactions have tests of their own).
const seen: StoredEvent[] = [];
let failNext = false;
const recorder: Reaction = {
  name: 'recorder',
  eventTypes: ['person.created'],
  async react(ctx, event) {
    expect(ctx.tenantId).toBe(event.tenantId);
    if (failNext) {
      failNext = false;
      throw new Error('the reaction failed');
    }
    seen.push(event);
  },
};

let runtime: Awaited<ReturnType<typeof reactionsRuntime>>;
beforeAll(async () => {
  runtime = await reactionsRuntime({ reactions: [recorder] });
});
afterAll(() => runtime.stop());

const createPerson = async (key: string) => {
  const res = await call(runtime.app, 'POST', '/v1/people', {
    key,
    body: { name: 'Reacted To', email: uniqueEmail() },
  });
  expect(res.status).toBe(201);
  return res.json.id as string;
};

test('every committed event of a subscribed type reaches its reactions, after its transaction', async () => {
  const { key } = await newTenant(runtime.app);
  const ids = [await createPerson(key), await createPerson(key)];
  await runtime.settle();
  expect(seen.map((e) => (e.data as { personId: string }).personId)).toEqual(expect.arrayContaining(ids));
  // Types nobody subscribed to (tenant.created, api_key.created) are not handed to the reaction.
  expect(new Set(seen.map((e) => e.type))).toEqual(new Set(['person.created']));
});

test('a failed reaction is retried from the failed batch: the event is reacted to, nothing is skipped', async () => {
  const { key } = await newTenant(runtime.app);
  failNext = true;
  const id = await createPerson(key);
  await expect(runtime.settle()).rejects.toThrow(/reaction/);
  expect(seen.some((e) => (e.data as { personId: string }).personId === id)).toBe(false);
  await runtime.settle();
  expect(seen.filter((e) => (e.data as { personId: string }).personId === id)).toHaveLength(1);
});
