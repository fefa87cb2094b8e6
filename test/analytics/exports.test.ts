import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@tandem/store';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { daysFromNow, schedule, twoPairs } from '../participants/workspace.ts';
import { call, newTenant, testApp, testDb, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

const app = testApp();

const exported = async (key: string, programId: string, dataset: string) => {
  const res = await call(app, 'GET', `/v1/programs/${programId}/exports/${dataset}`, { key });
  return {
    ...res,
    rows: res.status === 200 ? (parse(res.text, { columns: true }) as Record<string, string>[]) : [],
  };
};

describe('program exports', () => {
  test('relationships and meetings as RFC 4180 CSV, formulas defused, notes left out', async () => {
    const { key, programId, ours, theirs, ada, ben } = await twoPairs(app);
    const meeting = await schedule(app, ada.token, ours);
    const topics = ['=HYPERLINK("https://evil.example","click")', 'Career, "next steps"', '+1 on feedback'];
    const logged = await call(app, 'POST', `/v1/relationships/${ours}/meetings/${meeting.id}/log`, {
      key: ada.token,
      body: {
        outcome: 'no_show',
        attendance: [
          { personId: ada.personId, attended: true },
          { personId: ben.personId, attended: false },
        ],
        topics,
        sharedNotes: 'Ada wrote something personal',
      },
    });
    expect(logged.status, logged.text).toBe(200);

    const relationships = await exported(key, programId, 'relationships');
    expect(relationships.status).toBe(200);
    expect(relationships.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(relationships.text.split('\r\n')[0]).toBe(
      'relationshipId,status,source,mentors,mentees,peers,score,startedAt,activatedAt,endedAt,endReason,createdAt',
    );
    expect(relationships.rows.map((r) => r.relationshipId).sort()).toEqual([ours, theirs].sort());
    const row = relationships.rows.find((r) => r.relationshipId === ours)!;
    expect(row).toMatchObject({ status: 'active', source: 'manual', mentors: '', mentees: '' });
    expect(row.peers!.split(' ').sort()).toEqual([ada.personId, ben.personId].sort());

    const meetings = await exported(key, programId, 'meetings');
    expect(meetings.rows).toHaveLength(1);
    expect(meetings.rows[0]).toMatchObject({
      meetingId: meeting.id,
      relationshipId: ours,
      status: 'no_show',
      durationMinutes: '45',
      timeZone: 'Europe/Berlin',
      attended: ada.personId,
      absent: ben.personId,
      scheduledBy: ada.personId,
    });
    // The topics cell starts with `=`: it leaves as text a spreadsheet will not run.
    expect(meetings.rows[0]!.topics).toBe(`'${topics.join('; ')}`);
    expect(meetings.text).not.toContain('personal');
  });

  test('a moved meeting is exported where it moved to, a logged one as logged', async () => {
    const { key, programId, ada, ben, ours } = await twoPairs(app);
    const moved = await schedule(app, ada.token, ours, { startsAt: daysFromNow(5) });
    const logged = await schedule(app, ada.token, ours);
    const startsAt = new Date(Math.floor(Date.parse(daysFromNow(9)) / 1000) * 1000).toISOString();
    const patched = await call(app, 'PATCH', `/v1/relationships/${ours}/meetings/${moved.id}`, {
      key: ben.token,
      body: { startsAt, durationMinutes: 60 },
    });
    expect(patched.status, patched.text).toBe(200);
    const log = await call(app, 'POST', `/v1/relationships/${ours}/meetings/${logged.id}/log`, {
      key: ben.token,
      body: {
        outcome: 'held',
        attendance: [
          { personId: ada.personId, attended: true },
          { personId: ben.personId, attended: true },
        ],
        topics: ['Goals'],
      },
    });
    expect(log.status, log.text).toBe(200);

    const { rows } = await exported(key, programId, 'meetings');
    expect(rows.find((r) => r.meetingId === moved.id)).toMatchObject({
      status: 'scheduled',
      startsAt,
      durationMinutes: '60',
      scheduledBy: ada.personId,
      loggedAt: '',
    });
    expect(rows.find((r) => r.meetingId === logged.id)).toMatchObject({
      status: 'held',
      attended: expect.stringContaining(ben.personId),
      absent: '',
      topics: 'Goals',
      loggedAt: log.json.loggedAt,
    });
  });

  test('every meeting of a program with more relationships than a page, and nothing of other programs', {
    timeout: 180_000,
  }, async () => {
    const { key } = await newTenant(app);
    const post = async (path: string, body: unknown) => {
      const res = await call(app, 'POST', path, { key, body });
      expect(res.status, res.text).toBeLessThan(300);
      return res.json.id as string;
    };
    const programId = await post('/v1/programs', { name: 'Big', format: 'peer_pairs' });
    const otherProgram = await post('/v1/programs', { name: 'Other', format: 'peer_pairs' });
    const people = await Promise.all(
      Array.from({ length: 204 }, (_, i) =>
        post('/v1/people', { name: `P${i}`, email: `p${i}.${Date.now()}@example.com` }),
      ),
    );
    await Promise.all(
      people.map((personId, i) =>
        post(`/v1/programs/${i < 202 ? programId : otherProgram}/enrollments`, { personId, role: 'peer' }),
      ),
    );
    const relationships: string[] = [];
    for (let i = 0; i < 202; i += 2)
      relationships.push(
        await post('/v1/relationships', { programId, personIds: [people[i], people[i + 1]] }),
      );
    const other = await post('/v1/relationships', {
      programId: otherProgram,
      personIds: [people[202], people[203]],
    });
    await Promise.all(
      [...relationships.slice(0, 40), other].map((id) =>
        post(`/v1/relationships/${id}/meetings`, {
          startsAt: '2031-01-01T10:00:00Z',
          timeZone: 'UTC',
          durationMinutes: 30,
        }),
      ),
    );

    const all = await exported(key, programId, 'relationships');
    expect(new Set(all.rows.map((r) => r.relationshipId))).toEqual(new Set(relationships));
    const meetings = await exported(key, programId, 'meetings');
    expect(meetings.rows).toHaveLength(40);
    expect(meetings.rows.map((r) => r.relationshipId)).not.toContain(other);
  });

  test('meetings written before the program meeting rows are exported, and entered into them', async () => {
    const { tenant, key, programId, ada, cy, ours, theirs } = await twoPairs(app);
    const scheduled = [
      await schedule(app, ada.token, ours),
      await schedule(app, cy.token, theirs),
      await schedule(app, ada.token, ours, { startsAt: daysFromNow(3) }),
    ];
    // As the meetings and program were before the rows: no row of any meeting, no mark on the program.
    const db = testDb();
    const rowKey = (m: { id: string; relationshipId: string }) =>
      keys.meetingRow(tenant.tenantId, programId, m.relationshipId, m.id);
    for (const m of scheduled)
      await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: rowKey(m) }));
    await db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: keys.programMeetingRows(tenant.tenantId, programId),
      }),
    );
    // By relationship, then in order of creation.
    const expected = scheduled
      .map((m) => `${m.relationshipId}#${m.id}`)
      .sort()
      .map((k) => k.split('#')[1]);

    const first = await exported(key, programId, 'meetings');
    expect(first.rows.map((r) => r.meetingId)).toEqual(expected);
    for (const m of scheduled) {
      const { Item } = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: rowKey(m) }));
      expect(Item).toMatchObject({ version: 1 });
      expect(JSON.parse(Item!.row)).toContain(m.id);
    }
    const mark = await db.doc.send(
      new GetCommand({
        TableName: db.tableName,
        Key: keys.programMeetingRows(tenant.tenantId, programId),
      }),
    );
    expect(mark.Item).toBeDefined();
    // A relationship's list does not depend on the rows.
    const listed = await call(app, 'GET', `/v1/relationships/${ours}/meetings?when=all`, { key });
    expect(listed.json.items.map((m: { id: string }) => m.id)).toEqual([scheduled[0]!.id, scheduled[2]!.id]);

    const second = await exported(key, programId, 'meetings');
    expect(second.text).toBe(first.text);
  });

  test('an unknown dataset is a 400 naming it; another tenant’s program is a 404', async () => {
    const { key, programId } = await twoPairs(app);
    const unknown = await call(app, 'GET', `/v1/programs/${programId}/exports/people`, { key });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json.errors)).toContain('dataset');
    const stranger = await newTenant(app);
    expect(
      (await call(app, 'GET', `/v1/programs/${programId}/exports/meetings`, { key: stranger.key })).status,
    ).toBe(404);
  });
});

describe('survey responses export', () => {
  const setup = async (anonymity?: { mode: 'anonymous'; k: number }) => {
    const tenant = await newTenant(app);
    const { key } = tenant;
    const post = async (path: string, body: unknown) => {
      const res = await call(app, 'POST', path, { key, body });
      expect(res.status, res.text).toBeLessThan(300);
      return res.json.id as string;
    };
    const programId = await post('/v1/programs', {
      name: 'Surveyed',
      format: 'peer_pairs',
      ...(anonymity ? { anonymity } : {}),
    });
    const surveyId = await post(`/v1/programs/${programId}/surveys`, {
      title: 'Before',
      questions: [
        { id: 'confidence', kind: 'likert', prompt: 'Confidence?' },
        { id: 'topics', kind: 'multiple_choice', prompt: 'Topics?', options: ['a', 'b', 'c'] },
        { id: 'comment', kind: 'free_text', prompt: 'Anything else?', required: false },
      ],
      schedules: [{ kind: 'pre_program' }],
    });
    const respond = async (name: string, confidence: number) => {
      const personId = await post('/v1/people', { name, email: uniqueEmail(name) });
      await post(`/v1/programs/${programId}/enrollments`, { personId, role: 'peer' });
      const token = await participantToken(app, tenant, personId);
      const [instance] = (await call(app, 'GET', '/v1/me/surveys', { key: token })).json.items;
      const res = await call(app, 'PUT', `/v1/me/surveys/${instance.id}/response`, {
        key: token,
        body: {
          answers: [
            { questionId: 'confidence', value: confidence },
            { questionId: 'topics', value: ['a', 'c'] },
            { questionId: 'comment', value: `=I am ${name}` },
          ],
        },
      });
      expect(res.status, res.text).toBeLessThan(300);
      return personId;
    };
    return { key, programId, surveyId, respond };
  };

  test('an identified program exports one row per answer, naming the respondent', async () => {
    const { key, programId, surveyId, respond } = await setup();
    const ada = await respond('Ada', 4);
    const { rows, text } = await exported(key, programId, 'survey-responses');
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [r.surveyId, r.personId, r.questionId, r.questionKind, r.value])).toEqual([
      [surveyId, ada, 'confidence', 'likert', '4'],
      [surveyId, ada, 'topics', 'multiple_choice', 'a; c'],
      [surveyId, ada, 'comment', 'free_text', "'=I am Ada"],
    ]);
    expect(text).toContain('scheduleKind');
  });

  test('an anonymous program names nobody, drops free text, and exports nothing below k respondents', async () => {
    const { key, programId, respond } = await setup({ mode: 'anonymous', k: 3 });
    await respond('Ada', 4);
    await respond('Ben', 2);
    const few = await exported(key, programId, 'survey-responses');
    expect(few.status).toBe(200);
    expect(few.rows).toEqual([]);
    await respond('Cy', 5);
    const enough = await exported(key, programId, 'survey-responses');
    expect(enough.rows).toHaveLength(6);
    expect(new Set(enough.rows.map((r) => r.questionId))).toEqual(new Set(['confidence', 'topics']));
    expect(enough.rows.every((r) => r.personId === '' && r.relationshipId === '')).toBe(true);
    expect(enough.text).not.toMatch(/Ada|Ben|Cy|per_/);
  });
});
