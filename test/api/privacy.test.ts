import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ERASURE_RESUME_AFTER_MS } from '@tandem/app';
import type { Db } from '@tandem/store';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventsOf } from '../participants/workspace.ts';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { participantToken } from '../support/participants.ts';
import { runScheduledJobAt } from '../support/schedule.ts';
import { receiver, webhookRuntime } from '../support/webhooks.ts';

type Runtime = Awaited<ReturnType<typeof webhookRuntime>>;
type App = Runtime['app'];

/**
 * Every item of the table exactly as DynamoDB holds it (marshalled attribute values, GSI
 * attributes included), as text: binary attributes (idempotency bodies) decoded, so that nothing
 * stored anywhere escapes the search.
 */
async function rawItems(db: Db): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: db.tableName, ...(start ? { ExclusiveStartKey: start as never } : {}) }),
    );
    for (const item of page.Items ?? [])
      items.push(
        JSON.stringify(item, (_, value) =>
          value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
        ),
      );
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const containing = (items: string[], needles: string[]) =>
  items.filter((item) => needles.some((needle) => item.toLowerCase().includes(needle.toLowerCase())));

/** The table as a process sees it that dies after `commits` committed transactions. */
function dyingAfter(db: Db, commits: number): Db {
  let committed = 0;
  return {
    tableName: db.tableName,
    doc: new Proxy(db.doc, {
      get(target, name, receiver) {
        if (name !== 'send') return Reflect.get(target, name, receiver);
        return (command: unknown) => {
          if (command instanceof TransactWriteCommand && ++committed > commits)
            return Promise.reject(new Error('the process died'));
          return target.send(command as never);
        };
      },
    }),
  };
}

let runtime: Runtime;
let hooks: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  // The receiver refuses, and the next attempt is an hour away: deliveries stay pending.
  runtime = await webhookRuntime({ retryDelaysMs: [0, 3_600_000] });
  hooks = await receiver(() => ({ status: 503, body: 'try later' }));
});

afterAll(async () => {
  await runtime.stop();
  await hooks.close();
});

/**
 * Zelda, a busy participant, and Ben, her partner: an enrollment, a relationship with an accepted
 * agreement, goals with notes, a logged meeting with shared and private notes, feedback both ways,
 * posts and replies, a reflection and a rematch request, while a webhook endpoint collects
 * deliveries that stay pending.
 */
async function busyPerson(app: App) {
  const tenant = await newTenant(app);
  const { key } = tenant;
  const ok = async (method: string, path: string, body: unknown, as = key) => {
    const res = await call(app, method, path, { key: as, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  await ok('POST', '/v1/webhook-endpoints', { url: hooks.url, eventTypes: ['*'] });
  const programId = (await ok('POST', '/v1/programs', { name: 'Peers', format: 'peer_pairs' })).id;
  const zelda = {
    name: 'Zelda Quistgaard',
    email: uniqueEmail('zelda.quistgaard'),
    externalId: `WD-${Date.now()}`,
  };
  const zeldaId = (
    await ok('POST', '/v1/people', {
      name: zelda.name,
      email: zelda.email,
      title: 'Staff Engineer',
      location: 'Aarhus',
      department: 'Platform',
      careerGoals: ['Lead the platform guild'],
      externalIds: { workday: zelda.externalId },
    })
  ).id as string;
  const benEmail = uniqueEmail('ben');
  const benId = (
    await ok('POST', '/v1/people', { name: 'Ben Other', email: benEmail, department: 'Platform' })
  ).id as string;
  for (const personId of [zeldaId, benId])
    await ok('POST', `/v1/programs/${programId}/enrollments`, {
      personId,
      role: 'peer',
      goals: personId === zeldaId ? ['Zelda wants to learn delegation'] : ['Ben wants to learn Rust'],
    });
  const relationshipId = (await ok('POST', '/v1/relationships', { programId, personIds: [zeldaId, benId] }))
    .id as string;
  const z = await participantToken(app, tenant, zeldaId);
  const b = await participantToken(app, tenant, benId);
  const rel = `/v1/relationships/${relationshipId}`;

  await ok('PUT', `${rel}/agreement`, { sharedGoals: ['Zelda leads a guild meeting'] }, z);
  await ok('POST', `${rel}/agreement/accept`, { version: 1 }, z);
  const goal = await ok('POST', `${rel}/goals`, { title: 'Run the guild', progress: 10 }, z);
  await ok(
    'POST',
    `${rel}/goals/${goal.id}/updates`,
    { progress: 30, note: 'My own honest progress note' },
    z,
  );
  await ok(
    'POST',
    `${rel}/goals/${goal.id}/updates`,
    { progress: 40, note: 'Zelda Quistgaard did great' },
    b,
  );
  const meeting = await ok(
    'POST',
    `${rel}/meetings`,
    {
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
      durationMinutes: 45,
    },
    z,
  );
  await ok(
    'POST',
    `${rel}/meetings/${meeting.id}/log`,
    {
      outcome: 'held',
      attendance: [
        { personId: zeldaId, attended: true },
        { personId: benId, attended: true },
      ],
      sharedNotes: `Agenda by Zelda Quistgaard (${zelda.email})`,
    },
    z,
  );
  await ok('PUT', `${rel}/meetings/${meeting.id}/private-note`, { text: 'Zelda secret worry' }, z);
  await ok('PUT', `${rel}/meetings/${meeting.id}/private-note`, { text: 'Ben keeps his own counsel' }, b);
  await ok(
    'POST',
    `${rel}/meetings/${meeting.id}/feedback`,
    { rating: 4, comment: 'Zelda found it useful' },
    z,
  );
  await ok(
    'POST',
    `${rel}/meetings/${meeting.id}/feedback`,
    { rating: 5, comment: 'Ben found it great', shareCommentWithAdmins: true },
    b,
  );
  const posts = `/v1/programs/${programId}/posts`;
  const zeldasPost = await ok(
    'POST',
    posts,
    { title: 'Zelda asks about guilds', text: 'Zelda long post body' },
    z,
  );
  const bensPost = await ok('POST', posts, { title: 'Ben on Rust', text: 'Ben post body' }, b);
  await ok('POST', `${posts}/${bensPost.id}/replies`, { text: 'Zelda reply text' }, z);
  const bensReply = await ok('POST', `${posts}/${zeldasPost.id}/replies`, { text: 'Ben reply text' }, b);
  await ok(
    'POST',
    `${rel}/reflection`,
    {
      wentWell: 'Zelda went well words',
      learned: 'Zelda learned words',
      wouldRecommend: true,
      notes: 'Zelda notes',
    },
    z,
  );
  await ok('POST', `${rel}/rematch-requests`, { reason: 'other', detail: 'Zelda rematch detail' }, z);
  // Kudos both ways: her own message is hers; Ben's names her. Both are copied into the feed.
  await ok('POST', '/v1/kudos', { recipientId: benId, message: 'Zelda kudos words for Ben' }, z);
  await ok('POST', '/v1/kudos', { recipientId: zeldaId, message: 'Thanks Zelda Quistgaard!' }, b);

  return {
    tenant,
    key,
    programId,
    relationshipId,
    meetingId: meeting.id as string,
    goalId: goal.id as string,
    zelda: { id: zeldaId, token: z, ...zelda },
    ben: { id: benId, token: b, email: benEmail },
    bensPost: bensPost.id as string,
    bensReply: bensReply.id as string,
    zeldasPost: zeldasPost.id as string,
    /** What only Zelda wrote or is: none of it may survive her erasure. */
    hers: [
      zelda.name,
      zelda.email,
      zelda.externalId,
      'Staff Engineer',
      'Aarhus',
      'Lead the platform guild',
      'Zelda wants to learn delegation',
      'My own honest progress note',
      'Zelda secret worry',
      'Zelda found it useful',
      'Zelda asks about guilds',
      'Zelda long post body',
      'Zelda reply text',
      'Zelda went well words',
      'Zelda learned words',
      'Zelda notes',
      'Zelda rematch detail',
      'Zelda kudos words for Ben',
    ],
  };
}

async function exportOf(app: App, key: string, personId: string) {
  const res = await call(app, 'GET', `/v1/people/${personId}/export`, { key });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  const sections = Object.fromEntries(
    (res.json.sections as { name: string; items: Record<string, any>[] }[]).map((s) => [s.name, s.items]),
  );
  return { document: res.json, text: res.text, sections };
}

describe('GDPR export and erasure', () => {
  test('a busy person is exported whole, then erased: no item and no pending delivery still holds their data', async () => {
    const { app, db } = runtime;
    const w = await busyPerson(app);

    // Deliveries of events carrying Zelda's email wait for their next attempt.
    await eventually(async () => {
      const endpoints = await call(app, 'GET', '/v1/webhook-endpoints', { key: w.key });
      const endpointId = endpoints.json.items[0].id;
      const res = await call(
        app,
        'GET',
        `/v1/webhook-endpoints/${endpointId}/deliveries?status=pending&limit=100`,
        {
          key: w.key,
        },
      );
      expect(res.json.items.some((d: { eventType: string }) => d.eventType === 'person.created')).toBe(true);
    });
    const withEmail = containing(await rawItems(db), [w.zelda.email]);
    expect(
      withEmail.some((item) => item.includes('{"S":"delivery"}') && item.includes('{"S":"pending"}')),
    ).toBe(true);

    // The export: every area, in order, with what is hers and nothing private of Ben's.
    const before = await exportOf(app, w.key, w.zelda.id);
    expect(before.document).toMatchObject({ personId: w.zelda.id });
    expect(Object.keys(before.sections)).toEqual([
      'profile',
      'externalIds',
      'provisioning',
      'enrollments',
      'relationships',
      'agreements',
      'goals',
      'meetings',
      'privateNotes',
      'feedbackGiven',
      'feedbackReceived',
      'reflections',
      'milestones',
      'rematchRequests',
      'surveys',
      'posts',
      'kudos',
      'recognition',
      'milestonesEarned',
      'hrisRecords',
      'trainingRecords',
      'calendarFeed',
      'auditEntries',
      'events',
    ]);
    const s = before.sections;
    expect(s.profile).toEqual([expect.objectContaining({ name: w.zelda.name, email: w.zelda.email })]);
    expect(s.externalIds).toEqual([{ system: 'workday', value: w.zelda.externalId }]);
    expect(s.enrollments).toEqual([
      expect.objectContaining({ personId: w.zelda.id, programId: w.programId }),
    ]);
    expect(s.relationships).toEqual([expect.objectContaining({ id: w.relationshipId })]);
    expect(s.agreements!.some((a) => a.acceptances?.[w.zelda.id])).toBe(true);
    expect(s.goals!.map((g) => g.note ?? g.title)).toEqual(
      expect.arrayContaining(['Run the guild', 'My own honest progress note', 'Zelda Quistgaard did great']),
    );
    expect(s.meetings).toEqual([expect.objectContaining({ id: w.meetingId, status: 'held' })]);
    expect(s.privateNotes!.map((n) => n.text)).toEqual(['Zelda secret worry']);
    expect(before.text).not.toContain('Ben keeps his own counsel');
    expect(s.feedbackGiven).toEqual([expect.objectContaining({ comment: 'Zelda found it useful' })]);
    expect(s.feedbackReceived).toEqual([
      expect.objectContaining({ personId: w.ben.id, comment: 'Ben found it great' }),
    ]);
    expect(s.reflections).toEqual([expect.objectContaining({ wentWell: 'Zelda went well words' })]);
    expect(s.rematchRequests).toEqual([expect.objectContaining({ detail: 'Zelda rematch detail' })]);
    expect(s.kudos!.map((k) => k.message).sort()).toEqual([
      'Thanks Zelda Quistgaard!',
      'Zelda kudos words for Ben',
    ]);
    expect(s.posts!.map((p) => p.title ?? p.text).sort()).toEqual([
      'Zelda asks about guilds',
      'Zelda reply text',
    ]);
    expect(s.auditEntries!.some((e) => e.operation === 'createPerson')).toBe(true);
    expect(s.events!.map((e) => e.type)).toEqual(
      expect.arrayContaining(['person.created', 'enrollment.created', 'relationship.started']),
    );
    // Storage keys and internals are not the person's data.
    expect(before.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK|_payload|_cycleAttempts)":/);

    // Erasure.
    const erase = (idempotencyKey?: string) =>
      call(app, 'POST', `/v1/people/${w.zelda.id}/erasure`, {
        key: w.key,
        ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
      });
    const erased = await erase('erase-zelda');
    expect(erased.status, erased.text).toBe(200);
    expect(erased.json).toMatchObject({ personId: w.zelda.id, status: 'completed' });
    expect(erased.json.itemsRewritten).toBeGreaterThan(10);

    // The whole table, as stored: nothing of hers anywhere, pending deliveries included.
    const items = await rawItems(db);
    expect(containing(items, w.hers)).toEqual([]);
    // Its watchdog timer went with its last step.
    expect(
      items.filter((item) => item.includes('"entity":{"S":"timer"}') && item.includes(w.zelda.id)),
    ).toEqual([]);
    const stillPending = items.filter((item) => item.includes('"delivery"') && item.includes('"pending"'));
    expect(stillPending.length).toBeGreaterThan(0);
    expect(stillPending.some((item) => item.includes(`${w.zelda.id}@erased.invalid`))).toBe(true);

    // She is pseudonymized, and her identity no longer resolves: she cannot sign in.
    const zelda = await call(app, 'GET', `/v1/people/${w.zelda.id}`, { key: w.key });
    expect(zelda.json).toMatchObject({
      name: 'Erased person',
      email: `${w.zelda.id}@erased.invalid`,
      department: 'Platform',
    });
    expect(zelda.json.erasedAt).toBeDefined();
    expect(zelda.json.externalIds).toBeUndefined();
    const signIn = await call(app, 'GET', '/v1/me', { key: w.zelda.token });
    expect(signIn.status).toBe(403);
    expect(signIn.json.detail).toContain('no person of the organization has the email');

    // Ben's own records are intact: his note, feedback, post, reply, private note, enrollment goals.
    const rel = `/v1/relationships/${w.relationshipId}`;
    const ben = await call(app, 'GET', '/v1/me', { key: w.ben.token });
    expect(ben.status).toBe(200);
    const benNote = await call(app, 'GET', `${rel}/meetings/${w.meetingId}/private-note`, {
      key: w.ben.token,
    });
    expect(benNote.json.text).toBe('Ben keeps his own counsel');
    const benFeedback = await call(app, 'GET', `${rel}/meetings/${w.meetingId}/my-feedback`, {
      key: w.ben.token,
    });
    expect(benFeedback.json).toMatchObject({ rating: 5, comment: 'Ben found it great' });
    const post = await call(app, 'GET', `/v1/programs/${w.programId}/posts/${w.bensPost}`, {
      key: w.ben.token,
    });
    expect(post.json).toMatchObject({ title: 'Ben on Rust', text: 'Ben post body' });
    const hers = await call(app, 'GET', `/v1/programs/${w.programId}/posts/${w.zeldasPost}`, {
      key: w.ben.token,
    });
    expect(hers.json).toMatchObject({ title: '[erased]', authorId: w.zelda.id });
    expect(hers.json.text).toBeUndefined();
    expect(hers.json.replies.map((r: { text: string }) => r.text)).toEqual(['Ben reply text']);
    const updates = await call(app, 'GET', `${rel}/goals/${w.goalId}/updates`, { key: w.ben.token });
    expect(updates.json.items.map((u: { note?: string }) => u.note)).toEqual(
      expect.arrayContaining(['Erased person did great']),
    );
    // Her ratings and the relationship stay for the program's figures; nothing was ended.
    const relationship = await call(app, 'GET', rel, { key: w.key });
    expect(relationship.json.status).not.toBe('dissolved');
    const summary = await call(app, 'GET', `${rel}/meetings/${w.meetingId}/feedback-summary`, { key: w.key });
    expect(summary.json.count).toBe(2);

    // person.erased carries only the id.
    expect((await eventsOf(app, w.key, 'person.erased')).map((e) => e.data)).toEqual([
      { personId: w.zelda.id },
    ]);

    // The export now holds only pseudonyms.
    const after = await exportOf(app, w.key, w.zelda.id);
    expect(containing([after.text], w.hers)).toEqual([]);
    expect(after.sections.privateNotes).toEqual([]);

    // Repeating the erasure answers the same and changes nothing.
    const snapshot = (await rawItems(db)).sort();
    const again = await erase();
    expect(again.status).toBe(200);
    expect(again.json).toEqual(erased.json);
    expect((await rawItems(db)).sort()).toEqual(snapshot);
    const replay = await erase('erase-zelda');
    expect(replay.json).toEqual(erased.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  test("another tenant's person is not found, for export and erasure alike", async () => {
    const { app } = runtime;
    const ours = await newTenant(app);
    const theirs = await newTenant(app);
    const person = await call(app, 'POST', '/v1/people', {
      key: theirs.key,
      body: { name: 'Someone Else', email: uniqueEmail() },
    });
    expect((await call(app, 'GET', `/v1/people/${person.json.id}/export`, { key: ours.key })).status).toBe(
      404,
    );
    const refused = await call(app, 'POST', `/v1/people/${person.json.id}/erasure`, { key: ours.key });
    expect(refused.status).toBe(404);
    const untouched = await call(app, 'GET', `/v1/people/${person.json.id}`, { key: theirs.key });
    expect(untouched.json.name).toBe('Someone Else');
    // Admin only: a read key may not export.
    const readKey = await call(app, 'POST', '/v1/api-keys', {
      key: theirs.key,
      body: { name: 'r', scopes: ['read'] },
    });
    expect(
      (await call(app, 'GET', `/v1/people/${person.json.id}/export`, { key: readKey.json.secret })).status,
    ).toBe(403);
  });

  test('an erasure that stopped mid-way is finished by repeating the call', async () => {
    const { app, db } = runtime;
    const w = await busyPerson(app);
    const dying = dyingAfter(db, 3);
    const crashed = await call(testApp({ db: dying }), 'POST', `/v1/people/${w.zelda.id}/erasure`, {
      key: w.key,
      headers: { 'idempotency-key': 'erase-once' },
    });
    expect(crashed.status).toBe(500);
    // Progress is durable: some areas are done, the profile (the last step) is not.
    const progress = (await rawItems(db)).filter(
      (item) => item.includes('"SK":{"S":"ERASURE"}') && item.includes(w.zelda.id),
    );
    expect(progress).toHaveLength(1);
    expect(progress[0]).toContain('{"S":"running"}');
    expect(containing(await rawItems(db), [w.zelda.email]).length).toBeGreaterThan(0);

    const finished = await call(app, 'POST', `/v1/people/${w.zelda.id}/erasure`, {
      key: w.key,
      headers: { 'idempotency-key': 'erase-once' },
    });
    expect(finished.status, finished.text).toBe(200);
    expect(finished.json).toMatchObject({ status: 'completed', stepsDone: finished.json.stepsTotal });
    expect(containing(await rawItems(db), w.hers)).toEqual([]);
    expect(await eventsOf(app, w.key, 'person.erased')).toHaveLength(1);
  });

  test('an erasure nobody repeats is finished by the scheduled job', async () => {
    const { app, db } = runtime;
    const w = await busyPerson(app);
    const startedAt = Date.now();
    const crashed = await call(
      testApp({ db: dyingAfter(db, 2) }),
      'POST',
      `/v1/people/${w.zelda.id}/erasure`,
      {
        key: w.key,
      },
    );
    expect(crashed.status).toBe(500);
    const timers = async () =>
      (await rawItems(db)).filter(
        (item) => item.includes('"entity":{"S":"timer"}') && item.includes(w.zelda.id),
      );
    expect(await timers()).toHaveLength(1);

    // Before its watchdog falls due the job leaves it alone; after, it finishes the erasure.
    await runScheduledJobAt(w.tenant.tenantId, new Date(startedAt), { db });
    expect(await timers()).toHaveLength(1);
    expect(containing(await rawItems(db), [w.zelda.email]).length).toBeGreaterThan(0);
    await runScheduledJobAt(w.tenant.tenantId, new Date(startedAt + ERASURE_RESUME_AFTER_MS + 60_000), {
      db,
    });
    expect(containing(await rawItems(db), w.hers)).toEqual([]);
    expect(await timers()).toEqual([]);
    const answer = await call(app, 'POST', `/v1/people/${w.zelda.id}/erasure`, { key: w.key });
    expect(answer.json).toMatchObject({ status: 'completed' });
    expect(await eventsOf(app, w.key, 'person.erased')).toHaveLength(1);
  });
});
