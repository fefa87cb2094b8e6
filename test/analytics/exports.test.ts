import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { schedule, twoPairs } from '../participants/workspace.ts';
import { call, newTenant, testApp } from '../support/app.ts';

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
