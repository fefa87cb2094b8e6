import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@tandem/store';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';
import { runScheduledJobAt } from '../support/schedule.ts';
import { watchedDb } from '../support/watched-db.ts';
import { eventsOf, heldMeeting, type Member } from './workspace.ts';

const DAY = 86_400_000;

/** An app on a clock that tests move forward (it starts at the real time, so meetings can start "yesterday"). */
function clockedApp() {
  let offset = 0;
  const app = testApp({ now: () => new Date(Date.now() + offset) });
  return { app, advance: (days: number) => (offset += days * DAY), now: () => new Date(Date.now() + offset) };
}

const baseline = {
  title: 'Baseline',
  questions: [
    {
      id: 'confidence',
      kind: 'likert',
      prompt: 'How confident are you giving feedback?',
      measures: 'feedback',
    },
    { id: 'recommend', kind: 'nps', prompt: 'Would you recommend mentoring?' },
    { id: 'focus', kind: 'single_choice', prompt: 'Main focus?', options: ['Career', 'Skills', 'Network'] },
    { id: 'topics', kind: 'multiple_choice', prompt: 'Topics?', options: ['a', 'b', 'c'], required: false },
    { id: 'comment', kind: 'free_text', prompt: 'Anything else?', required: false },
  ],
  schedules: [{ kind: 'pre_program' }],
};

const goodAnswers = [
  { questionId: 'confidence', value: 4 },
  { questionId: 'recommend', value: 9 },
  { questionId: 'focus', value: 'Skills' },
  { questionId: 'topics', value: ['a', 'c'] },
];

type App = ReturnType<typeof testApp>;

async function setup(app: App, program: Record<string, unknown> = {}) {
  const tenant = await newTenant(app, 'Surveys');
  const { key } = tenant;
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  const { id: programId } = await post('/v1/programs', { name: 'Peers', format: 'peer_pairs', ...program });
  const person = async (name: string): Promise<Member> => {
    const { id: personId } = await post('/v1/people', { name, email: uniqueEmail(name) });
    return { personId, token: await participantToken(app, tenant, personId) };
  };
  const enroll = (member: Member) =>
    post(`/v1/programs/${programId}/enrollments`, { personId: member.personId, role: 'peer' });
  return { tenant, key, programId, post, person, enroll };
}

const mine = async (app: App, member: Member) => {
  const res = await call(app, 'GET', '/v1/me/surveys', { key: member.token });
  expect(res.status).toBe(200);
  return res.json.items as Record<string, any>[];
};

describe('survey definitions', () => {
  test('are created, read, listed and merge-patched with If-Match; bad definitions are 400 naming the field', async () => {
    const app = testApp();
    const { key, programId, post } = await setup(app);
    const path = `/v1/programs/${programId}/surveys`;

    const noOptions = await call(app, 'POST', path, {
      key,
      body: { title: 'x', questions: [{ id: 'q', kind: 'single_choice', prompt: 'Pick' }] },
    });
    expect(noOptions.status).toBe(400);
    expect(noOptions.json.errors).toContainEqual(expect.objectContaining({ field: '/questions/0/options' }));

    const badFit = await call(app, 'POST', path, {
      key,
      body: {
        title: 'Fit',
        questions: [{ id: 'works', kind: 'likert', prompt: 'Works?' }],
        schedules: [{ kind: 'fit_check', fitQuestionId: 'works', rematchOn: 'No' }, { kind: 'pulse' }],
      },
    });
    expect(badFit.status).toBe(400);
    const fields = badFit.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/schedules/0/fitQuestionId', '/schedules/1/everyDays']));

    const created = await post(path, baseline);
    expect(created).toMatchObject({ programId, title: 'Baseline', responses: 0, version: 1, active: true });
    expect(created.schedules[0]).toEqual({ kind: 'pre_program', dueInDays: 7, expiresInDays: 14 });

    // One active survey per schedule kind.
    const twice = await call(app, 'POST', path, { key, body: { ...baseline, title: 'Again' } });
    expect(twice.status).toBe(409);
    expect(twice.json.errors).toContainEqual(expect.objectContaining({ field: '/schedules/0/kind' }));

    const listed = await call(app, 'GET', path, { key });
    expect(listed.json.items.map((s: { id: string }) => s.id)).toEqual([created.id]);

    const stale = await call(app, 'PATCH', `${path}/${created.id}`, {
      key,
      body: { title: 'Renamed' },
      headers: { 'if-match': '"9"' },
    });
    expect(stale.status).toBe(412);
    const renamed = await call(app, 'PATCH', `${path}/${created.id}`, {
      key,
      body: { title: 'Renamed', description: 'Before we start' },
      headers: { 'if-match': '"1"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ title: 'Renamed', description: 'Before we start', version: 2 });
    expect(renamed.headers.get('etag')).toBe('"2"');
    const read = await call(app, 'GET', `${path}/${created.id}`, { key });
    expect(read.json.title).toBe('Renamed');

    const elsewhere = await setup(app);
    const foreign = await call(app, 'GET', `${path}/${created.id}`, { key: elsewhere.key });
    expect(foreign.status).toBe(404);
  });
});

describe('survey instances', () => {
  test('enrolling opens the pre-program survey; answers are checked per kind, editable until the instance closes', async () => {
    const { app, advance, now } = clockedApp();
    const { key, programId, post, person, enroll } = await setup(app);
    const survey = await post(`/v1/programs/${programId}/surveys`, baseline);
    const ada = await person('Ada');
    const enrolledAt = now();
    await enroll(ada);

    const [instance] = await mine(app, ada);
    expect(instance).toMatchObject({
      programId,
      surveyId: survey.id,
      scheduleKind: 'pre_program',
      status: 'open',
    });
    expect(Date.parse(instance!.dueAt) - Date.parse(instance!.openedAt)).toBe(7 * DAY);
    expect(Date.parse(instance!.expiresAt) - Date.parse(instance!.openedAt)).toBe(14 * DAY);
    expect(Math.abs(Date.parse(instance!.openedAt) - enrolledAt.getTime())).toBeLessThan(60_000);
    const due = await eventsOf(app, key, 'survey.due');
    expect(due.map((e) => e.data)).toEqual([
      expect.objectContaining({
        instanceId: instance!.id,
        personId: ada.personId,
        scheduleKind: 'pre_program',
      }),
    ]);

    const path = `/v1/me/surveys/${instance!.id}`;
    const read = await call(app, 'GET', path, { key: ada.token });
    expect(read.status).toBe(200);
    expect(read.json.questions.map((q: { id: string }) => q.id)).toEqual(baseline.questions.map((q) => q.id));
    expect(read.json.answers).toBeUndefined();

    const wrong = await call(app, 'PUT', `${path}/response`, {
      key: ada.token,
      body: {
        answers: [
          { questionId: 'confidence', value: 6 },
          { questionId: 'recommend', value: 9 },
          { questionId: 'focus', value: 'Golf' },
          { questionId: 'topics', value: ['a', 'a'] },
        ],
      },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors).toEqual([
      {
        field: '/answers/0/value',
        in: 'body',
        message: expect.stringContaining('question confidence (likert)'),
      },
      { field: '/answers/2/value', in: 'body', message: expect.stringContaining('question focus') },
      { field: '/answers/3/value', in: 'body', message: expect.stringContaining('question topics') },
    ]);
    const missing = await call(app, 'PUT', `${path}/response`, {
      key: ada.token,
      body: { answers: [{ questionId: 'confidence', value: 3 }] },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.detail).toContain('question recommend is required');
    expect((await call(app, 'GET', path, { key: ada.token })).json.status).toBe('open');

    const answered = await call(app, 'PUT', `${path}/response`, {
      key: ada.token,
      body: { answers: goodAnswers },
    });
    expect(answered.status).toBe(200);
    expect(answered.json).toMatchObject({ status: 'answered', answers: goodAnswers, version: 2 });
    const responseId = answered.json.responseId;

    const edited = await call(app, 'PUT', `${path}/response`, {
      key: ada.token,
      body: { answers: [...goodAnswers.slice(0, 3), { questionId: 'comment', value: 'Looking forward' }] },
      headers: { 'if-match': '"2"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ responseId, version: 3 });
    expect(edited.json.answers).toContainEqual({ questionId: 'comment', value: 'Looking forward' });
    const staleEdit = await call(app, 'PUT', `${path}/response`, {
      key: ada.token,
      body: { answers: goodAnswers },
      headers: { 'if-match': '"2"' },
    });
    expect(staleEdit.status).toBe(412);

    // One response, counted once; each submission is announced without answers or person.
    const definition = await call(app, 'GET', `/v1/programs/${programId}/surveys/${survey.id}`, { key });
    expect(definition.json.responses).toBe(1);
    const answeredEvents = await eventsOf(app, key, 'survey.answered');
    expect(answeredEvents.map((e) => e.data)).toEqual([
      { programId, surveyId: survey.id, instanceId: instance!.id, responseId, kind: 'pre_program' },
      { programId, surveyId: survey.id, instanceId: instance!.id, responseId, kind: 'pre_program' },
    ]);
    const responses = await call(app, 'GET', `/v1/programs/${programId}/surveys/${survey.id}/responses`, {
      key,
    });
    expect(responses.json.items).toEqual([
      expect.objectContaining({ id: responseId, personId: ada.personId, scheduleKind: 'pre_program' }),
    ]);

    // With a response, questions keep their kinds; prompts may change.
    const surveyPath = `/v1/programs/${programId}/surveys/${survey.id}`;
    const retyped = await call(app, 'PATCH', surveyPath, {
      key,
      body: { questions: baseline.questions.map((q) => (q.id === 'confidence' ? { ...q, kind: 'nps' } : q)) },
    });
    expect(retyped.status).toBe(409);
    const reworded = await call(app, 'PATCH', surveyPath, {
      key,
      body: {
        questions: baseline.questions.map((q) =>
          q.id === 'confidence' ? { ...q, prompt: 'How sure are you?' } : q,
        ),
      },
    });
    expect(reworded.status).toBe(200);

    advance(14);
    const closed = await call(app, 'GET', path, { key: ada.token });
    expect(closed.json.status).toBe('closed');
    const late = await call(app, 'PUT', `${path}/response`, {
      key: ada.token,
      body: { answers: goodAnswers },
    });
    expect(late.status).toBe(409);
    expect((await call(app, 'GET', path, { key: ada.token })).json.answers).toContainEqual({
      questionId: 'comment',
      value: 'Looking forward',
    });
  });

  test("another participant's instance is not found, and an API key cannot answer", async () => {
    const app = testApp();
    const { key, programId, post, person, enroll } = await setup(app);
    await post(`/v1/programs/${programId}/surveys`, baseline);
    const ada = await person('Ada');
    const ben = await person('Ben');
    await enroll(ada);
    await enroll(ben);
    const [adas] = await mine(app, ada);
    const [bens] = await mine(app, ben);
    expect(adas!.id).not.toBe(bens!.id);
    const peek = await call(app, 'GET', `/v1/me/surveys/${adas!.id}`, { key: ben.token });
    expect(peek.status).toBe(404);
    const answer = await call(app, 'PUT', `/v1/me/surveys/${adas!.id}/response`, {
      key: ben.token,
      body: { answers: goodAnswers },
    });
    expect(answer.status).toBe(404);
    const byKey = await call(app, 'GET', '/v1/me/surveys', { key });
    expect(byKey.status).toBe(403);
    expect((await call(app, 'GET', `/v1/me/surveys/${adas!.id}`, { key: ada.token })).json.status).toBe(
      'open',
    );
  });

  test('a held meeting opens the post-meeting survey for the members who attended; completing opens the close-out', async () => {
    const { app } = clockedApp();
    const { key, programId, post, person, enroll } = await setup(app);
    await post(`/v1/programs/${programId}/surveys`, {
      title: 'After',
      questions: [{ id: 'useful', kind: 'likert', prompt: 'Useful?' }],
      schedules: [
        { kind: 'post_meeting', dueInDays: 2, expiresInDays: 5 },
        { kind: 'close_out', dueInDays: 7, expiresInDays: 30 },
      ],
    });
    const ada = await person('Ada');
    const ben = await person('Ben');
    await enroll(ada);
    await enroll(ben);
    const relationship = await post('/v1/relationships', {
      programId,
      personIds: [ada.personId, ben.personId],
    });
    expect(await mine(app, ada)).toEqual([]);

    const meeting = await heldMeeting(app, ada, ben, relationship.id);
    for (const member of [ada, ben]) {
      const instances = await mine(app, member);
      expect(instances).toEqual([
        expect.objectContaining({
          scheduleKind: 'post_meeting',
          personId: member.personId,
          relationshipId: relationship.id,
          meetingId: meeting.id,
        }),
      ]);
      expect(Date.parse(instances[0]!.dueAt) - Date.parse(instances[0]!.openedAt)).toBe(2 * DAY);
    }

    const done = await call(app, 'POST', `/v1/relationships/${relationship.id}/complete`, { key });
    expect(done.status).toBe(200);
    for (const member of [ada, ben]) {
      const [latest] = await mine(app, member);
      expect(latest).toMatchObject({
        scheduleKind: 'close_out',
        relationshipId: relationship.id,
        status: 'open',
      });
    }
  });
});

describe('anonymity', () => {
  test('an anonymous program reports aggregates only, suppressing slices under k, and stays anonymous', async () => {
    const app = testApp();
    const { key, programId, post, person, enroll } = await setup(app, {
      anonymity: { mode: 'anonymous', k: 3 },
    });
    const survey = await post(`/v1/programs/${programId}/surveys`, baseline);
    const members: Member[] = [];
    for (const name of ['A', 'B', 'C']) {
      const member = await person(name);
      await enroll(member);
      members.push(member);
    }
    const answer = async (member: Member, confidence: number) => {
      const [instance] = await mine(app, member);
      const res = await call(app, 'PUT', `/v1/me/surveys/${instance!.id}/response`, {
        key: member.token,
        body: { answers: [{ questionId: 'confidence', value: confidence }, ...goodAnswers.slice(1)] },
      });
      expect(res.status).toBe(200);
    };
    const resultsPath = `/v1/programs/${programId}/surveys/${survey.id}/results`;

    await answer(members[0]!, 2);
    await answer(members[1]!, 4);
    const small = await call(app, 'GET', resultsPath, { key });
    expect(small.status).toBe(200);
    expect(small.json).toEqual({
      surveyId: survey.id,
      anonymity: 'anonymous',
      k: 3,
      slices: [{ scheduleKind: 'pre_program', suppressed: true }],
    });

    await answer(members[2]!, 3);
    const shown = await call(app, 'GET', resultsPath, { key });
    const [slice] = shown.json.slices;
    expect(slice).toMatchObject({ scheduleKind: 'pre_program', suppressed: false, respondents: 3 });
    const byId = Object.fromEntries(slice.questions.map((q: { questionId: string }) => [q.questionId, q]));
    expect(byId.confidence).toEqual({
      questionId: 'confidence',
      kind: 'likert',
      measures: 'feedback',
      suppressed: false,
      answered: 3,
      mean: 3,
      distribution: { '2': 1, '3': 1, '4': 1 },
    });
    expect(byId.recommend).toMatchObject({ npsScore: 100, distribution: { '9': 3 } });
    // Optional questions answered by fewer than k are suppressed on their own.
    expect(byId.comment).toEqual({ questionId: 'comment', kind: 'free_text', suppressed: true });

    const individual = await call(app, 'GET', `/v1/programs/${programId}/surveys/${survey.id}/responses`, {
      key,
    });
    expect(individual.status).toBe(409);
    // survey.due names the person, so it must not name the instance that survey.answered names.
    const due = await eventsOf(app, key, 'survey.due');
    expect(due).toHaveLength(3);
    for (const event of due) expect(event.data.instanceId).toBeUndefined();
    const events = await eventsOf(app, key, 'survey.answered');
    expect(events).toHaveLength(3);
    for (const event of events)
      expect(Object.keys(event.data).sort()).toEqual([
        'instanceId',
        'kind',
        'programId',
        'responseId',
        'surveyId',
      ]);

    const reveal = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: { anonymity: { mode: 'identified' } },
    });
    expect(reveal.status).toBe(409);
    const smallerK = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: { anonymity: { k: 2 } },
    });
    expect(smallerK.status).toBe(409);
  });

  test('an identified program reports every slice, however small', async () => {
    const app = testApp();
    const { key, programId, post, person, enroll } = await setup(app);
    const survey = await post(`/v1/programs/${programId}/surveys`, baseline);
    const ada = await person('Ada');
    await enroll(ada);
    const [instance] = await mine(app, ada);
    await call(app, 'PUT', `/v1/me/surveys/${instance!.id}/response`, {
      key: ada.token,
      body: { answers: goodAnswers },
    });
    const results = await call(app, 'GET', `/v1/programs/${programId}/surveys/${survey.id}/results`, { key });
    expect(results.json).toMatchObject({
      anonymity: 'identified',
      slices: [{ suppressed: false, respondents: 1 }],
    });
    expect(results.json.k).toBeUndefined();
  });
});

describe('survey results at scale', () => {
  test("are read from the survey's tally, not its responses; a survey without a kept tally is summed from its responses", async () => {
    // The items read from the responses' index.
    let responsesRead = 0;
    const db = watchedDb((command, answer) => {
      if (String(command.input.ExpressionAttributeValues?.[':pk']).endsWith('#SURVEY_RESPONSES'))
        responsesRead += answer.Items?.length ?? 0;
    });
    const app = testApp({ db });
    const { tenant, key, programId, post, person, enroll } = await setup(app);
    const survey = await post(`/v1/programs/${programId}/surveys`, baseline);
    const answer = async (member: Member, confidence: number, focus: string) => {
      const [instance] = await mine(app, member);
      const res = await call(app, 'PUT', `/v1/me/surveys/${instance!.id}/response`, {
        key: member.token,
        body: {
          answers: [
            { questionId: 'confidence', value: confidence },
            { questionId: 'recommend', value: confidence * 2 },
            { questionId: 'focus', value: focus },
          ],
        },
      });
      expect(res.status).toBe(200);
    };
    const members: Member[] = [];
    for (const name of ['A', 'B', 'C', 'D']) {
      const member = await person(name);
      await enroll(member);
      members.push(member);
    }
    await Promise.all(members.map((member, i) => answer(member, i + 1, 'Career')));
    // Two change their answers: what they answered before no longer counts.
    await answer(members[0]!, 5, 'Network');
    await answer(members[3]!, 3, 'Career');

    const resultsPath = `/v1/programs/${programId}/surveys/${survey.id}/results`;
    responsesRead = 0;
    const kept = await call(app, 'GET', resultsPath, { key });
    expect(kept.status).toBe(200);
    expect(responsesRead).toBe(0);
    const [slice] = kept.json.slices;
    expect(slice).toMatchObject({ scheduleKind: 'pre_program', respondents: 4 });
    const byId = Object.fromEntries(slice.questions.map((q: { questionId: string }) => [q.questionId, q]));
    // Confidence 5, 2, 3, 3; recommend twice that: 10, 4, 6, 6.
    expect(byId.confidence).toMatchObject({
      answered: 4,
      mean: 3.25,
      distribution: { '2': 1, '3': 2, '5': 1 },
    });
    expect(byId.recommend).toMatchObject({ answered: 4, npsScore: -50 });
    expect(byId.focus.distribution).toEqual({ Career: 3, Network: 1 });
    expect(byId.topics).toMatchObject({ answered: 0, distribution: {} });

    // As a survey created before tallies were kept: its results come from every response, the same.
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.surveyTally(tenant.tenantId, programId, survey.id),
        UpdateExpression: 'REMOVE counted',
      }),
    );
    responsesRead = 0;
    const summed = await call(app, 'GET', resultsPath, { key });
    expect(responsesRead).toBe(4);
    expect(summed.json).toEqual(kept.json);
  });
});

describe('scheduled surveys', () => {
  test('the job opens the fit check at day 14 and pulses from day 30; a "no" opens a rematch request; expiry is recorded', async () => {
    const { app, advance, now } = clockedApp();
    const { tenant, key, programId, post, person, enroll } = await setup(app);
    const survey = await post(`/v1/programs/${programId}/surveys`, {
      title: 'Check-in',
      questions: [
        { id: 'working', kind: 'single_choice', prompt: 'Is the match working?', options: ['Yes', 'No'] },
        { id: 'energy', kind: 'likert', prompt: 'How energizing are your meetings?', required: false },
      ],
      schedules: [
        { kind: 'fit_check', fitQuestionId: 'working', rematchOn: 'No' },
        { kind: 'pulse', everyDays: 14, dueInDays: 3, expiresInDays: 14 },
      ],
    });
    const ada = await person('Ada');
    const ben = await person('Ben');
    await enroll(ada);
    await enroll(ben);
    const relationship = await post('/v1/relationships', {
      programId,
      personIds: [ada.personId, ben.personId],
    });
    const job = () => runScheduledJobAt(tenant.tenantId, now());

    advance(13.9);
    await job();
    expect(await mine(app, ada)).toEqual([]);

    advance(0.2);
    await job();
    await job();
    for (const member of [ada, ben])
      expect(await mine(app, member)).toEqual([
        expect.objectContaining({
          scheduleKind: 'fit_check',
          surveyId: survey.id,
          relationshipId: relationship.id,
        }),
      ]);

    const answer = async (member: Member, working: string) => {
      const [instance] = (await mine(app, member)).filter((i) => i.scheduleKind === 'fit_check');
      const res = await call(app, 'PUT', `/v1/me/surveys/${instance!.id}/response`, {
        key: member.token,
        body: { answers: [{ questionId: 'working', value: working }] },
      });
      expect(res.status, res.text).toBe(200);
    };
    const requests = async () =>
      (await call(app, 'GET', '/v1/rematch-requests?status=open', { key })).json.items as Record<
        string,
        any
      >[];
    await answer(ben, 'Yes');
    expect(await requests()).toEqual([]);
    await answer(ada, 'No');
    expect(await requests()).toEqual([
      expect.objectContaining({
        personId: ada.personId,
        relationshipId: relationship.id,
        reason: 'mismatch',
        status: 'open',
      }),
    ]);
    // Saying it again changes nothing in the queue; the answer itself is recorded.
    await answer(ada, 'No');
    expect(await requests()).toHaveLength(1);
    expect(await eventsOf(app, key, 'survey.answered')).toHaveLength(3);

    advance(16); // day 30: the first pulse
    await job();
    const pulses = async (member: Member) =>
      (await mine(app, member)).filter((i) => i.scheduleKind === 'pulse');
    expect(await pulses(ada)).toHaveLength(1);
    expect((await mine(app, ada)).find((i) => i.scheduleKind === 'fit_check')!.status).toBe('closed');

    advance(14); // day 44: the first pulse expires unanswered, the second opens
    await job();
    const [second, first] = await pulses(ben);
    expect(first).toMatchObject({ status: 'expired' });
    expect(second).toMatchObject({ status: 'open' });
    const expired = await eventsOf(app, key, 'survey.expired');
    expect(expired.map((e) => e.data.instanceId).sort()).toEqual(
      [first!.id, (await pulses(ada))[1]!.id].sort(),
    );

    // A stopped job catches up with one pulse, not one per missed occurrence.
    advance(40);
    await job();
    expect(await pulses(ada)).toHaveLength(3);
  });
});

describe('privacy', () => {
  test("a person's export holds their survey instances and answers; erasure removes their free text only", async () => {
    const app = testApp();
    const { key, programId, post, person, enroll } = await setup(app);
    const survey = await post(`/v1/programs/${programId}/surveys`, baseline);
    const ada = await person('Ada');
    await enroll(ada);
    const [instance] = await mine(app, ada);
    const words = 'Ada hopes to lead the Berlin team';
    const answers = [...goodAnswers, { questionId: 'comment', value: words }];
    await call(app, 'PUT', `/v1/me/surveys/${instance!.id}/response`, { key: ada.token, body: { answers } });

    const exported = await call(app, 'GET', `/v1/people/${ada.personId}/export`, { key });
    expect(exported.status).toBe(200);
    const section = exported.json.sections.find((s: { name: string }) => s.name === 'surveys');
    expect(section.items).toEqual([
      expect.objectContaining({
        id: instance!.id,
        surveyId: survey.id,
        response: expect.objectContaining({ answers }),
      }),
    ]);

    const erased = await call(app, 'POST', `/v1/people/${ada.personId}/erasure`, { key });
    expect(erased.status, erased.text).toBe(200);
    const after = await call(app, 'GET', `/v1/people/${ada.personId}/export`, { key });
    const [kept] = after.json.sections.find((s: { name: string }) => s.name === 'surveys').items;
    expect(kept.response.answers.slice(0, 4)).toEqual(goodAnswers);
    expect(kept.response.answers[4].questionId).toBe('comment');
    expect(kept.response.answers[4].value).not.toContain('Berlin');
    expect(after.text).not.toContain(words);
  });
});
