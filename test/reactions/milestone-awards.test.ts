import { reactions, reactToEvents } from '@tandem/app';
import { domainEvent, newId, type StoredEvent, stampEvent } from '@tandem/core';
import { CursorCodec, writeAtomically } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testSealer, uniqueEmail } from '../support/app.ts';
import { reactionsRuntime } from '../support/reactions.ts';

let runtime: Awaited<ReturnType<typeof reactionsRuntime>>;
beforeAll(async () => {
  runtime = await reactionsRuntime();
});
afterAll(() => runtime.stop());

/** `milestone.earned` as the milestone rules commit it: an outbox event of its own. */
async function emitMilestone(tenantId: string, data: Parameters<typeof domainEvent<'milestone.earned'>>[1]) {
  const event = stampEvent(domainEvent('milestone.earned', data), tenantId, new Date());
  await writeAtomically(runtime.db, [], event);
  return event;
}

test('milestone.earned delivered twice awards once, with its certificate and one announcement', async () => {
  const { app } = runtime;
  const { tenantId, key } = await newTenant(app, 'Milestone Org');
  const person = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'Ada Byte', email: uniqueEmail() },
  });
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Pairs', format: 'one_to_one' },
  });
  const type = await call(app, 'POST', '/v1/award-types', {
    key,
    body: { name: 'Ten Meetings', criteria: 'Held ten meetings', requiresApproval: true },
  });
  const data = {
    personId: person.json.id as string,
    programId: program.json.id as string,
    ruleId: newId('milestoneRule'),
    milestone: 'ten_meetings_held',
    awardTypeId: type.json.id as string,
  };
  const first = await emitMilestone(tenantId, data);
  await emitMilestone(tenantId, data);
  await runtime.settle();
  await runtime.recognition.runner.idle();
  // The stream redelivers: the same event reacted to once more changes nothing.
  const cursors = new CursorCodec(CURSOR_SECRET);
  await reactToEvents(
    {
      contextFor: (id) => ({
        tenantId: id,
        clock: () => new Date(),
        store: tenantStore({ tenant: runtime.db, platform: runtime.db, sealer: testSealer }, id, cursors),
        recognition: { starter: runtime.recognition.starter },
      }),
      reactions,
    },
    [first as StoredEvent],
  );
  await runtime.settle();
  await runtime.recognition.runner.idle();

  const awards = await call(app, 'GET', `/v1/people/${data.personId}/awards`, { key });
  expect(awards.json.items).toHaveLength(1);
  // A milestone is its own criterion: no approval, even for a type whose nominations need one.
  expect(awards.json.items[0]).toMatchObject({
    status: 'awarded',
    programId: data.programId,
    source: { kind: 'milestone', ruleId: data.ruleId, milestone: data.milestone },
  });
  expect(awards.json.items[0].certificate).toBeDefined();
  const announced = await call(app, 'GET', '/v1/events?type=recognition.awarded', { key });
  expect(announced.json.items).toHaveLength(1);
});

test('a milestone without an award type, or naming one that does not exist, awards nothing', async () => {
  const { app } = runtime;
  const { tenantId, key } = await newTenant(app);
  const person = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'No Award', email: uniqueEmail() },
  });
  const program = await call(app, 'POST', '/v1/programs', { key, body: { name: 'P', format: 'one_to_one' } });
  const base = { personId: person.json.id, programId: program.json.id, milestone: 'first_meeting_held' };
  await emitMilestone(tenantId, { ...base, ruleId: newId('milestoneRule') });
  await emitMilestone(tenantId, {
    ...base,
    ruleId: newId('milestoneRule'),
    awardTypeId: 'awt_01jd5x3n7a8q9w0e1r2t3y4z5v',
  });
  await runtime.settle();
  await runtime.recognition.runner.idle();
  expect((await call(app, 'GET', `/v1/people/${person.json.id}/awards`, { key })).json.items).toEqual([]);
});
