import { describe, expect, test } from 'vitest';
import { workspace } from '../participants/workspace.ts';
import { call, testApp } from '../support/app.ts';
import { runScheduledJobAt } from '../support/schedule.ts';

const app = testApp();

const upcoming = async (key: string) =>
  (await call(app, 'GET', '/v1/events?type=meeting.upcoming&limit=100', { key })).json.items as {
    data: { meetingId: string; startsAt: string; personIds: string[] };
  }[];

const schedule = async (key: string, relationshipId: string, startsAt: string) => {
  const res = await call(app, 'POST', `/v1/relationships/${relationshipId}/meetings`, {
    key,
    body: { startsAt, timeZone: 'UTC', durationMinutes: 30 },
  });
  expect(res.status, res.text).toBe(201);
  return res;
};

const at = (iso: string) => new Date(iso);

describe('the scheduled job', () => {
  test('reminds a meeting’s members once, a day before, however many passes run at once', async () => {
    const ws = await workspace(app);
    const meeting = await schedule(ws.key, ws.relationshipId, '2031-05-10T09:00:00Z');

    expect((await runScheduledJobAt(ws.tenantId, at('2031-05-09T08:59:59Z'))).handled).toBe(0);
    expect(await upcoming(ws.key)).toEqual([]);

    const passes = await Promise.all(
      Array.from({ length: 4 }, () => runScheduledJobAt(ws.tenantId, at('2031-05-09T09:00:00Z'))),
    );
    expect(passes.reduce((sum, p) => sum + p.handled, 0)).toBe(1);
    const reminders = await upcoming(ws.key);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.data).toMatchObject({
      meetingId: meeting.json.id,
      startsAt: '2031-05-10T09:00:00.000Z',
      personIds: ws.members,
    });

    // A later pass finds nothing left to do.
    expect((await runScheduledJobAt(ws.tenantId, at('2031-05-10T08:00:00Z'))).handled).toBe(0);
    expect(await upcoming(ws.key)).toHaveLength(1);
  });

  test('a moved meeting moves its reminder, and a pass after the meeting started reminds of nothing', async () => {
    const ws = await workspace(app);
    const moved = await schedule(ws.key, ws.relationshipId, '2031-06-01T09:00:00Z');
    const patched = await call(
      app,
      'PATCH',
      `/v1/relationships/${ws.relationshipId}/meetings/${moved.json.id}`,
      {
        key: ws.key,
        body: { startsAt: '2031-06-08T09:00:00Z' },
        headers: { 'if-match': moved.headers.get('etag')! },
      },
    );
    expect(patched.status, patched.text).toBe(200);
    expect((await runScheduledJobAt(ws.tenantId, at('2031-05-31T12:00:00Z'))).handled).toBe(0);

    // Tandem was down from before the second meeting's reminder until after it started.
    const missed = await schedule(ws.key, ws.relationshipId, '2031-06-03T09:00:00Z');
    const catchUp = await runScheduledJobAt(ws.tenantId, at('2031-06-07T10:00:00Z'));
    expect(catchUp.handled).toBe(2);
    const reminders = await upcoming(ws.key);
    expect(reminders.map((r) => r.data.meetingId)).toEqual([moved.json.id]);
    expect(reminders.map((r) => r.data.meetingId)).not.toContain(missed.json.id);
  });

  test('a meeting booked less than a day ahead is reminded on the next pass', async () => {
    const ws = await workspace(app);
    const soon = new Date(Date.now() + 3 * 60 * 60 * 1000);
    const meeting = await schedule(ws.key, ws.relationshipId, soon.toISOString());
    expect((await runScheduledJobAt(ws.tenantId, new Date(Date.now() + 60_000))).handled).toBe(1);
    expect((await upcoming(ws.key)).map((r) => r.data.meetingId)).toEqual([meeting.json.id]);
  });
});
