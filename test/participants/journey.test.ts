import { expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { participantToken } from '../support/participants.ts';

const app = testApp();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * The relationship as its members live it: an admin only sets the program up and publishes the
 * match; from then on the mentor and the mentee act with their own tokens, from the agreement to
 * the closing reflections.
 */
test('two participants go from a published match through agreement, goals, three meetings with feedback, a milestone and completion', {
  timeout: 180_000,
}, async () => {
  const tenant = await newTenant(app, 'Journey Org');
  const { key } = tenant;
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await call(app, method, path, { key, body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.json;
  };

  // The admin's part: a one_to_one program that requires an agreement, two people, a run, publish.
  const program = await admin('POST', '/v1/programs', {
    name: 'Engineering mentoring',
    format: 'one_to_one',
    relationships: { requireAgreement: true },
  });
  const maya = await admin('POST', '/v1/people', {
    name: 'Maya Mentor',
    email: uniqueEmail('maya'),
    department: 'Engineering',
    skillsOffered: [{ name: 'system design', level: 4 }],
  });
  const leo = await admin('POST', '/v1/people', {
    name: 'Leo Mentee',
    email: uniqueEmail('leo'),
    department: 'Sales',
    skillsWanted: [{ name: 'system design' }],
  });
  await admin('POST', `/v1/programs/${program.id}/enrollments`, { personId: maya.id, role: 'mentor' });
  await admin('POST', `/v1/programs/${program.id}/enrollments`, { personId: leo.id, role: 'mentee' });
  const run = await admin('POST', `/v1/programs/${program.id}/match-runs`, {});
  const runPath = `/v1/programs/${program.id}/match-runs/${run.id}`;
  await eventually(async () => expect((await admin('GET', runPath)).status).toBe('awaiting_review'), 60_000);
  await admin('POST', `${runPath}/decisions`, { approve: 'all' });
  await admin('POST', `${runPath}/publish`);
  await eventually(async () => expect((await admin('GET', runPath)).status).toBe('published'), 60_000);

  // From here on, only the participants' own tokens.
  const mayaToken = await participantToken(app, tenant, maya.id);
  const leoToken = await participantToken(app, tenant, leo.id);
  const as =
    (token: string) =>
    async (method: string, path: string, body?: unknown, expected = 200) => {
      const res = await call(app, method, path, { key: token, body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(expected);
      return res.json;
    };
  const asMaya = as(mayaToken);
  const asLeo = as(leoToken);

  const mine = await asLeo('GET', '/v1/me');
  expect(mine.relationships).toHaveLength(1);
  const relationship = mine.relationships[0];
  expect(relationship.status).toBe('pending_agreement');
  const rel = `/v1/relationships/${relationship.id}`;

  // The agreement: Maya drafts, Leo asks for a change, both accept the final version.
  await asMaya(
    'PUT',
    `${rel}/agreement`,
    {
      sharedGoals: ['Leo designs a service end to end'],
      expectations: [
        { personId: maya.id, expects: 'Leo brings a design question to each meeting' },
        { personId: leo.id, expects: 'Honest reviews of my designs' },
      ],
      boundaries: 'No weekend messages',
      cadence: { every: 2, unit: 'weeks', durationMinutes: 45 },
      duration: { weeks: 24 },
      channels: ['video'],
      confidentiality: { level: 'members_only' },
    },
    201,
  );
  const changed = await asLeo('PATCH', `${rel}/agreement`, { channels: ['video', 'in_person'] });
  expect(changed.version).toBe(2);
  await asMaya('POST', `${rel}/agreement/accept`, { version: 2 });
  const accepted = await asLeo('POST', `${rel}/agreement/accept`, { version: 2 });
  expect(accepted.acceptedByAll).toBe(true);
  expect((await asLeo('GET', rel)).status).toBe('active');

  // Goals: one of the relationship, one of Leo's own, with progress recorded over time.
  const shared = await asMaya('POST', `${rel}/goals`, { title: 'Ship a design doc' }, 201);
  const own = await asLeo(
    'POST',
    `${rel}/goals`,
    { title: 'Run a design review', ownerId: leo.id, skill: 'system design', measure: 'Review held' },
    201,
  );

  // Three meetings, each held and rated by both.
  for (const [index, days] of [42, 28, 14].entries()) {
    const meeting = await asMaya(
      'POST',
      `${rel}/meetings`,
      {
        startsAt: daysAgo(days),
        timeZone: 'Europe/Berlin',
        durationMinutes: 45,
        agenda: `Session ${index + 1}`,
      },
      201,
    );
    await asLeo('POST', `${rel}/meetings/${meeting.id}/log`, {
      outcome: 'held',
      attendance: [
        { personId: maya.id, attended: true },
        { personId: leo.id, attended: true },
      ],
      topics: ['design'],
      sharedNotes: `Notes of session ${index + 1}`,
    });
    await asMaya('POST', `${rel}/meetings/${meeting.id}/feedback`, { rating: 4, pairingWorking: 'yes' }, 201);
    await asLeo(
      'POST',
      `${rel}/meetings/${meeting.id}/feedback`,
      { rating: 5, pairingWorking: 'yes', comment: 'Very useful' },
      201,
    );
    await asLeo('POST', `${rel}/goals/${own.id}/updates`, { progress: 30 * (index + 1) }, 201);
  }
  await asMaya('PATCH', `${rel}/goals/${shared.id}`, { status: 'achieved' });

  // Milestones: the agreement and the first meeting reached themselves; the members mark the midpoint.
  await asMaya('POST', `${rel}/milestones/midpoint_review/reach`, undefined);
  const workspace = await asLeo('GET', `${rel}/workspace`);
  expect(Object.fromEntries(workspace.milestones.map((m: any) => [m.key, m.status]))).toEqual({
    agreement_signed: 'reached',
    first_meeting: 'reached',
    midpoint_review: 'reached',
    close_out: 'pending',
  });
  expect(workspace.agreement).toMatchObject({ version: 2, acceptedByAll: true });
  expect(workspace.goals.map((g: any) => [g.title, g.status, g.progress])).toEqual([
    ['Ship a design doc', 'achieved', 100],
    ['Run a design review', 'in_progress', 90],
  ]);
  expect(workspace.upcomingMeetings).toEqual([]);

  // Admins see how it went in aggregate, never Leo's unshared comment.
  const summary = await admin('GET', `${rel}/feedback-summary`);
  expect(summary).toMatchObject({ count: 6, averageRating: 4.5 });
  expect(JSON.stringify(summary)).not.toContain('Very useful');

  // Closure: both reflect, then a member completes.
  const incomplete = await call(app, 'POST', `${rel}/complete`, { key: mayaToken });
  expect(incomplete.status).toBe(409);
  await asMaya(
    'POST',
    `${rel}/reflection`,
    { wentWell: 'Steady cadence', learned: 'Patience', wouldRecommend: true },
    201,
  );
  await asLeo(
    'POST',
    `${rel}/reflection`,
    { wentWell: 'Real reviews', learned: 'Trade-offs', wouldRecommend: true },
    201,
  );
  const completed = await asLeo('POST', `${rel}/complete`);
  expect(completed).toMatchObject({ status: 'completed', endedBy: leo.id });
  expect((await asMaya('GET', '/v1/me')).relationships).toEqual([]);
  expect((await asMaya('GET', rel)).status).toBe('completed');

  // Every step wrote its event, in order, for webhooks to deliver.
  const types = (await admin('GET', '/v1/events?limit=100')).items.map((e: { type: string }) => e.type);
  const journey = [
    'relationship.started',
    'agreement.updated',
    'agreement.accepted',
    'relationship.activated',
    'milestone.reached',
    'goal.created',
    'meeting.scheduled',
    'meeting.logged',
    'feedback.submitted',
    'reflection.written',
    'relationship.completed',
  ];
  for (const type of journey) expect(types, type).toContain(type);
  const started = (await admin('GET', '/v1/events?type=relationship.started')).items;
  expect(started.map((e: any) => e.data.status)).toEqual(['pending_agreement']);
  const positions = journey.map((type) => types.indexOf(type));
  expect(positions).toEqual([...positions].sort((x, y) => x - y));
});
