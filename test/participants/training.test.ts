import { CursorCodec, EventsRepository } from '@tandem/store';
import { describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testApp, testDb, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { participantToken } from '../support/participants.ts';

const app = testApp();

type Tenant = Awaited<ReturnType<typeof newTenant>>;

const listeningQuiz = {
  passMark: 60,
  questions: [
    { prompt: 'An open question invites…', options: ['a yes or no', 'a story'], correct: [1] },
    {
      prompt: 'Paraphrasing shows…',
      options: ['you listened', 'you agree', 'you know better'],
      correct: [0],
    },
    { prompt: 'Which help a speaker go on?', options: ['silence', 'nodding', 'advice'], correct: [0, 1] },
  ],
};

async function post(tenant: Tenant, path: string, body: unknown) {
  const res = await call(app, 'POST', path, { key: tenant.key, body });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.json;
}

const module = (tenant: Tenant, title: string, extra: Record<string, unknown> = {}) =>
  post(tenant, '/v1/resources', {
    kind: 'article',
    title,
    body: `# ${title}\n\nRead this first.`,
    tags: ['mentoring'],
    trainingModule: true,
    ...extra,
  });

async function person(tenant: Tenant, name: string) {
  const created = await post(tenant, '/v1/people', { name, email: uniqueEmail(name.replace(/\W/g, '')) });
  return { id: created.id as string, token: await participantToken(app, tenant, created.id) };
}

const complete = (token: string, resourceId: string, body: unknown = {}) =>
  call(app, 'POST', `/v1/me/training/${resourceId}/completion`, { key: token, body });

async function eventTypes(tenantId: string) {
  const events = await new EventsRepository(testDb(), tenantId, new CursorCodec(CURSOR_SECRET)).list(
    {},
    { limit: 100 },
  );
  return events.items;
}

describe('the library', () => {
  test('admins create, patch and archive; participants list and read the active library without quiz answers', async () => {
    const tenant = await newTenant(app);
    const article = await module(tenant, 'Active listening', { quiz: listeningQuiz, tags: ['listening'] });
    const link = await post(tenant, '/v1/resources', {
      kind: 'link',
      title: 'Giving feedback',
      url: 'https://example.com/feedback',
      tags: ['feedback'],
    });
    const checklist = await post(tenant, '/v1/resources', {
      kind: 'checklist',
      title: 'First meeting',
      items: ['Introduce yourselves', 'Agree on a cadence'],
      tags: ['feedback', 'meetings'],
    });
    expect(article).toMatchObject({ status: 'active', version: 1, quiz: { passMark: 60 } });
    expect(article.quiz.questions[0].correct).toEqual([1]);

    // Each kind needs its content; a quiz belongs to a training module.
    const noBody = await call(app, 'POST', '/v1/resources', {
      key: tenant.key,
      body: { kind: 'article', title: 'x' },
    });
    expect(noBody.status).toBe(400);
    expect(noBody.json.errors).toContainEqual(expect.objectContaining({ field: '/body' }));
    const quizOnLink = await call(app, 'POST', '/v1/resources', {
      key: tenant.key,
      body: { kind: 'link', title: 'x', url: 'https://example.com', quiz: listeningQuiz },
    });
    expect(quizOnLink.json.errors).toContainEqual(expect.objectContaining({ field: '/quiz' }));
    const badAnswer = await call(app, 'POST', '/v1/resources', {
      key: tenant.key,
      body: {
        kind: 'article',
        title: 'x',
        body: 'y',
        trainingModule: true,
        quiz: { passMark: 50, questions: [{ prompt: 'q', options: ['a', 'b'], correct: [2] }] },
      },
    });
    expect(badAnswer.json.errors).toContainEqual(
      expect.objectContaining({ field: '/quiz/questions/0/correct/0' }),
    );

    const participant = await person(tenant, 'Pat');
    const byTag = await call(app, 'GET', '/v1/resources?tag=feedback', { key: participant.token });
    expect(byTag.status).toBe(200);
    expect(byTag.json.items.map((r: { id: string }) => r.id).sort()).toEqual([link.id, checklist.id].sort());
    const byKind = await call(app, 'GET', '/v1/resources?kind=checklist&limit=1', { key: tenant.key });
    expect(byKind.json).toEqual({ items: [expect.objectContaining({ id: checklist.id })], nextCursor: null });
    const paged = await call(app, 'GET', '/v1/resources?limit=2', { key: participant.token });
    expect(paged.json.items).toHaveLength(2);
    const rest = await call(app, 'GET', `/v1/resources?limit=2&cursor=${paged.json.nextCursor}`, {
      key: participant.token,
    });
    expect(rest.json.items).toHaveLength(1);

    // The answers never reach a participant, in a list or a read; API keys see them.
    const seen = await call(app, 'GET', `/v1/resources/${article.id}`, { key: participant.token });
    expect(seen.status).toBe(200);
    expect(seen.json.quiz.questions).toHaveLength(3);
    expect(seen.text).not.toContain('"correct"');
    expect(JSON.stringify(byTag.json) + JSON.stringify(paged.json) + JSON.stringify(rest.json)).not.toContain(
      '"correct"',
    );
    const reader = await post(tenant, '/v1/api-keys', { name: 'Reader', scopes: ['read'] });
    const asReader = await call(app, 'GET', `/v1/resources/${article.id}`, { key: reader.secret });
    expect(asReader.json.quiz.questions[2].correct).toEqual([0, 1]);
    // Participants and read keys do not write.
    expect(
      (
        await call(app, 'POST', '/v1/resources', {
          key: participant.token,
          body: { kind: 'link', title: 'x', url: 'https://example.com' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(app, 'PATCH', `/v1/resources/${link.id}`, { key: reader.secret, body: { title: 'y' } }))
        .status,
    ).toBe(403);

    // Merge patch with If-Match; the merged resource must still fit its kind.
    const etag = seen.headers.get('etag')!;
    const patched = await call(app, 'PATCH', `/v1/resources/${article.id}`, {
      key: tenant.key,
      headers: { 'if-match': etag },
      body: { summary: 'How to listen', quiz: { passMark: 100 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ version: 2, summary: 'How to listen', quiz: { passMark: 100 } });
    expect(patched.json.quiz.questions).toHaveLength(3);
    const stale = await call(app, 'PATCH', `/v1/resources/${article.id}`, {
      key: tenant.key,
      headers: { 'if-match': etag },
      body: { summary: 'Again' },
    });
    expect(stale.status).toBe(412);
    const emptied = await call(app, 'PATCH', `/v1/resources/${article.id}`, {
      key: tenant.key,
      body: { body: null },
    });
    expect(emptied.status).toBe(422);
    expect(emptied.json.errors).toContainEqual(expect.objectContaining({ field: '/body' }));

    const archived = await call(app, 'POST', `/v1/resources/${link.id}/archive`, { key: tenant.key });
    expect(archived.json).toMatchObject({ status: 'archived', version: 2 });
    expect((await call(app, 'GET', `/v1/resources/${link.id}`, { key: participant.token })).status).toBe(404);
    expect((await call(app, 'GET', `/v1/resources/${link.id}`, { key: tenant.key })).status).toBe(200);
    const listed = await call(app, 'GET', '/v1/resources?status=archived', { key: participant.token });
    expect(listed.json.items.map((r: { id: string }) => r.id)).not.toContain(link.id);
    const adminArchived = await call(app, 'GET', '/v1/resources?status=archived', { key: tenant.key });
    expect(adminArchived.json.items.map((r: { id: string }) => r.id)).toEqual([link.id]);

    const types = (await eventTypes(tenant.tenantId)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('resource.'))).toEqual([
      'resource.created',
      'resource.created',
      'resource.created',
      'resource.updated',
      'resource.archived',
    ]);
  });
});

describe('completing training', () => {
  test('a quiz is graded on the server: a failed attempt is kept, a pass completes the module for good', async () => {
    const tenant = await newTenant(app);
    const quizModule = await module(tenant, 'Active listening', { quiz: listeningQuiz });
    const { id: personId, token } = await person(tenant, 'Quinn');

    // 1 of 3 right (33 %) is below 60 %.
    const failed = await complete(token, quizModule.id, { answers: [[0], [0], [0]] });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({
      outcome: 'failed',
      scorePercent: 33,
      passMark: 60,
      record: { completed: false, attemptCount: 1, attempts: [{ scorePercent: 33, passed: false }] },
    });
    expect(failed.text).not.toContain('correct');

    // 2 of 3 (a multi-select must be exact: [0] alone is wrong) reaches 60 %.
    const passed = await complete(token, quizModule.id, { answers: [[1], [0], [0]] });
    expect(passed.json).toMatchObject({
      outcome: 'completed',
      scorePercent: 66,
      record: { completed: true, method: 'quiz', scorePercent: 66, attemptCount: 2 },
    });
    expect(passed.json.record.attempts.map((a: { passed: boolean }) => a.passed)).toEqual([false, true]);

    const again = await complete(token, quizModule.id, { answers: [[0], [1], [2]] });
    expect(again.json).toMatchObject({
      outcome: 'already_completed',
      record: { attemptCount: 2, version: 2 },
    });

    const types = (await eventTypes(tenant.tenantId)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('training.'))).toEqual([
      'training.quiz_failed',
      'training.completed',
    ]);
    const completedEvent = (await eventTypes(tenant.tenantId)).find((e) => e.type === 'training.completed')!;
    expect(completedEvent.data).toEqual({
      personId,
      resourceId: quizModule.id,
      method: 'quiz',
      scorePercent: 66,
    });
  });

  test('submissions must fit the module; only participants complete, and only modules that exist', async () => {
    const tenant = await newTenant(app);
    const quizModule = await module(tenant, 'Active listening', { quiz: listeningQuiz });
    const selfAttested = await module(tenant, 'Setting goals');
    const plain = await post(tenant, '/v1/resources', {
      kind: 'link',
      title: 'Read',
      url: 'https://example.com',
    });
    const { token } = await person(tenant, 'Sam');

    const cases: [string, unknown, number, string | undefined][] = [
      [quizModule.id, {}, 422, '/answers'],
      [quizModule.id, { answers: [[1], [0]] }, 422, '/answers'],
      [quizModule.id, { answers: [[1], [0], [0, 0]] }, 400, '/answers/2'],
      [quizModule.id, { answers: [[1], [5], [0]] }, 422, '/answers/1/0'],
      [selfAttested.id, { answers: [[0]] }, 422, '/answers'],
      [plain.id, {}, 409, undefined],
      ['res_01jd5x3n7a8q9w0e1r2t3y4z5v', {}, 404, undefined],
    ];
    for (const [resourceId, body, status, field] of cases) {
      const res = await complete(token, resourceId, body);
      expect({ resourceId, body, status: res.status }, res.text).toEqual({ resourceId, body, status });
      if (field) expect(res.json.errors, res.text).toContainEqual(expect.objectContaining({ field }));
    }
    // A refused submission leaves nothing behind.
    const status = await call(app, 'GET', '/v1/me/training', { key: token });
    expect(status.json).toEqual({ personId: expect.any(String), complete: true, programs: [] });

    const attested = await complete(token, selfAttested.id, {});
    expect(attested.json).toMatchObject({
      outcome: 'completed',
      record: { completed: true, method: 'self_attested', attemptCount: 0, attempts: [] },
    });
    expect(
      (
        await call(app, 'POST', `/v1/me/training/${selfAttested.id}/completion`, {
          key: tenant.key,
          body: {},
        })
      ).status,
    ).toBe(403);
  });
});

describe('required training', () => {
  test('programs require active training modules per role; anything else is a 422 naming the field', async () => {
    const tenant = await newTenant(app);
    const listening = await module(tenant, 'Active listening');
    const plain = await post(tenant, '/v1/resources', {
      kind: 'link',
      title: 'Read',
      url: 'https://example.com',
    });
    const retired = await module(tenant, 'Old module');
    await post(tenant, `/v1/resources/${retired.id}/archive`, {});
    const unknown = 'res_01jd5x3n7a8q9w0e1r2t3y4z5v';

    const refused = await call(app, 'POST', '/v1/programs', {
      key: tenant.key,
      body: {
        name: 'P',
        format: 'one_to_one',
        requiredTraining: { mentor: [listening.id, unknown], mentee: [plain.id, retired.id] },
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([
      { field: '/requiredTraining/mentor/1', message: 'must be a resource of this organization', in: 'body' },
      { field: '/requiredTraining/mentee/0', message: 'must be a training module', in: 'body' },
      { field: '/requiredTraining/mentee/1', message: 'must not be archived', in: 'body' },
    ]);

    const program = await post(tenant, '/v1/programs', {
      name: 'P',
      format: 'one_to_one',
      requiredTraining: { mentor: [listening.id] },
    });
    expect(program.requiredTraining).toEqual({ mentor: [listening.id] });
    const patchUnknown = await call(app, 'PATCH', `/v1/programs/${program.id}`, {
      key: tenant.key,
      body: { requiredTraining: { mentee: [unknown] } },
    });
    expect(patchUnknown.status).toBe(422);
    expect(patchUnknown.json.errors).toEqual([
      { field: '/requiredTraining/mentee/0', message: 'must be a resource of this organization', in: 'body' },
    ]);
    const merged = await call(app, 'PATCH', `/v1/programs/${program.id}`, {
      key: tenant.key,
      body: { requiredTraining: { mentee: [listening.id] } },
    });
    expect(merged.json.requiredTraining).toEqual({ mentor: [listening.id], mentee: [listening.id] });

    // A required module can be neither archived nor turned into a plain resource.
    const archive = await call(app, 'POST', `/v1/resources/${listening.id}/archive`, { key: tenant.key });
    expect(archive.status).toBe(409);
    const demote = await call(app, 'PATCH', `/v1/resources/${listening.id}`, {
      key: tenant.key,
      body: { trainingModule: false },
    });
    expect(demote.status).toBe(409);

    const removed = await call(app, 'PATCH', `/v1/programs/${program.id}`, {
      key: tenant.key,
      body: { requiredTraining: null },
    });
    expect(removed.json.requiredTraining).toBeUndefined();
    expect(
      (await call(app, 'POST', `/v1/resources/${listening.id}/archive`, { key: tenant.key })).status,
    ).toBe(200);
  });

  test('a person sees their status per program; admins read anyone’s; another participant gets 404', async () => {
    const tenant = await newTenant(app);
    const listening = await module(tenant, 'Active listening', { quiz: listeningQuiz });
    const goals = await module(tenant, 'Setting goals');
    const program = await post(tenant, '/v1/programs', {
      name: 'Mentoring',
      format: 'one_to_one',
      requiredTraining: { mentor: [listening.id, goals.id], mentee: [goals.id] },
    });
    const mentor = await person(tenant, 'Mo');
    const other = await person(tenant, 'Ola');
    await post(tenant, `/v1/programs/${program.id}/enrollments`, { personId: mentor.id, role: 'mentor' });
    await complete(mentor.token, goals.id);
    await complete(mentor.token, listening.id, { answers: [[0], [1], [2]] });

    const mine = await call(app, 'GET', '/v1/me/training', { key: mentor.token });
    expect(mine.json).toEqual({
      personId: mentor.id,
      complete: false,
      programs: [
        {
          programId: program.id,
          name: 'Mentoring',
          role: 'mentor',
          complete: false,
          modules: [
            { resourceId: listening.id, title: 'Active listening', status: 'attempted', attemptCount: 1 },
            {
              resourceId: goals.id,
              title: 'Setting goals',
              status: 'completed',
              completedAt: expect.any(String),
              attemptCount: 0,
            },
          ],
        },
      ],
    });
    const asAdmin = await call(app, 'GET', `/v1/people/${mentor.id}/training`, { key: tenant.key });
    expect(asAdmin.json).toEqual(mine.json);
    expect((await call(app, 'GET', `/v1/people/${mentor.id}/training`, { key: other.token })).status).toBe(
      404,
    );
    expect(
      (await call(app, 'GET', `/v1/people/${other.id}/training`, { key: other.token })).json.programs,
    ).toEqual([]);
    expect((await call(app, 'GET', '/v1/me/training', { key: tenant.key })).status).toBe(403);
  });
});

describe('matching leaves out people whose required training is incomplete', () => {
  async function mentoringProgram(tenant: Tenant, requiredTraining: Record<string, string[]>) {
    const program = await post(tenant, '/v1/programs', {
      name: 'Mentoring',
      format: 'one_to_one',
      requiredTraining,
    });
    const enrol = async (name: string, role: 'mentor' | 'mentee') => {
      const p = await person(tenant, name);
      await post(tenant, `/v1/programs/${program.id}/enrollments`, {
        personId: p.id,
        role,
        ...(role === 'mentor' ? { capacity: 2 } : {}),
      });
      return p;
    };
    return { programId: program.id as string, enrol };
  }

  test('a run reports an untrained mentee as unmatched with the rule and the missing modules', async () => {
    const tenant = await newTenant(app);
    const listening = await module(tenant, 'Active listening');
    const goals = await module(tenant, 'Setting goals', { quiz: listeningQuiz });
    const { programId, enrol } = await mentoringProgram(tenant, {
      mentor: [listening.id],
      mentee: [listening.id, goals.id],
    });
    const mentor = await enrol('Mentor', 'mentor');
    const trained = await enrol('Trained mentee', 'mentee');
    const untrained = await enrol('Untrained mentee', 'mentee');
    for (const who of [mentor, trained, untrained]) await complete(who.token, listening.id);
    await complete(trained.token, goals.id, { answers: [[1], [0], [0, 1]] });
    // A failed attempt is not a completion.
    await complete(untrained.token, goals.id, { answers: [[0], [1], [2]] });

    const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, {
      key: tenant.key,
      body: {},
    });
    expect(started.status).toBe(202);
    const run = await eventually(async () => {
      const read = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, {
        key: tenant.key,
      });
      expect(['awaiting_review', 'failed']).toContain(read.json.status);
      return read.json;
    }, 60_000);
    expect(run.status).toBe('awaiting_review');
    expect(run.totals).toMatchObject({ participants: 3, proposals: 1, unmatched: 1, excluded: 1 });

    const proposals = (
      await call(app, 'GET', `/v1/programs/${programId}/match-runs/${run.id}/proposals`, { key: tenant.key })
    ).json.items;
    const pair = proposals.find((p: { kind: string }) => p.kind === 'pair');
    expect(pair.members.map((m: { personId: string }) => m.personId).sort()).toEqual(
      [mentor.id, trained.id].sort(),
    );
    const left = proposals.filter((p: { kind: string }) => p.kind === 'unmatched');
    expect(left).toEqual([
      expect.objectContaining({
        members: [{ personId: untrained.id, role: 'mentee' }],
        exclusion: { rule: 'requiredTraining', missing: [goals.id] },
        unmatchedReason: expect.stringMatching(
          new RegExp(`^training_incomplete: requiredTraining: .*${goals.id}`),
        ),
      }),
    ]);
    expect(JSON.stringify(proposals)).not.toContain(listening.id);
  });

  test('a run where nobody completed the training reports everyone, and matches nobody', async () => {
    const tenant = await newTenant(app);
    const listening = await module(tenant, 'Active listening');
    const { programId, enrol } = await mentoringProgram(tenant, {
      mentor: [listening.id],
      mentee: [listening.id],
    });
    for (const [name, role] of [
      ['Mentor', 'mentor'],
      ['Mentee', 'mentee'],
    ] as const)
      await enrol(name, role);
    const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, {
      key: tenant.key,
      body: {},
    });
    const run = await eventually(async () => {
      const read = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, {
        key: tenant.key,
      });
      expect(['awaiting_review', 'failed']).toContain(read.json.status);
      return read.json;
    }, 60_000);
    expect(run).toMatchObject({
      status: 'awaiting_review',
      totals: { participants: 2, proposals: 0, unmatched: 2, excluded: 2 },
    });
  });

  test('a manual match with an untrained person is refused with the rule, and allowed once trained', async () => {
    const tenant = await newTenant(app);
    const listening = await module(tenant, 'Active listening');
    const { programId, enrol } = await mentoringProgram(tenant, { mentee: [listening.id] });
    const mentor = await enrol('Mentor', 'mentor');
    const mentee = await enrol('Mentee', 'mentee');

    const refused = await call(app, 'POST', '/v1/relationships', {
      key: tenant.key,
      body: { programId, personIds: [mentor.id, mentee.id] },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('requiredTraining');
    expect(refused.json.errors).toEqual([
      {
        field: '/personIds/1',
        message: `requiredTraining: the mentee has not completed ${listening.id}`,
        in: 'body',
      },
    ]);
    expect(
      (await call(app, 'GET', `/v1/relationships?programId=${programId}`, { key: tenant.key })).json.items,
    ).toEqual([]);

    await complete(mentee.token, listening.id);
    const matched = await call(app, 'POST', '/v1/relationships', {
      key: tenant.key,
      body: { programId, personIds: [mentor.id, mentee.id] },
    });
    expect(matched.status).toBe(201);
  });
});
