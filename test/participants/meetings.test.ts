import { describe, expect, test } from 'vitest';
import { call, testApp } from '../support/app.ts';
import { daysFromNow, heldMeeting, schedule, twoPairs } from './workspace.ts';

const app = testApp();

const events = async (key: string) => (await call(app, 'GET', '/v1/events?limit=100', { key })).json.items;

describe('meetings', () => {
  test('a member schedules, reschedules with If-Match and logs a meeting; each step writes its event', async () => {
    const { key, ada, ben, ours } = await twoPairs(app);
    const startsAt = '2027-03-30T10:00:00+02:00';
    const created = await call(app, 'POST', `/v1/relationships/${ours}/meetings`, {
      key: ada.token,
      body: {
        startsAt,
        timeZone: 'Europe/Berlin',
        durationMinutes: 45,
        link: 'https://meet.example.com/a-b',
        agenda: 'Goals',
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      status: 'scheduled',
      startsAt: '2027-03-30T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
      scheduledBy: ada.personId,
      version: 1,
    });
    const path = `/v1/relationships/${ours}/meetings/${created.json.id}`;
    expect(created.headers.get('location')).toBe(path);

    const stale = await call(app, 'PATCH', path, {
      key: ben.token,
      body: { durationMinutes: 60 },
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    const moved = await call(app, 'PATCH', path, {
      key: ben.token,
      body: { startsAt: '2027-04-06T08:00:00Z', link: null, location: 'Room 4' },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({
      startsAt: '2027-04-06T08:00:00.000Z',
      location: 'Room 4',
      version: 2,
    });
    expect(moved.json.link).toBeUndefined();

    // Not yet started: it cannot have been held.
    const early = await call(app, 'POST', `${path}/log`, {
      key: ada.token,
      body: {
        outcome: 'held',
        attendance: [
          { personId: ada.personId, attended: true },
          { personId: ben.personId, attended: true },
        ],
      },
    });
    expect(early.status).toBe(422);
    expect(early.json.errors).toContainEqual(expect.objectContaining({ field: '/outcome' }));
    const cancelled = await call(app, 'POST', `${path}/log`, {
      key: ada.token,
      body: { outcome: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', version: 3 });
    expect(
      (await call(app, 'POST', `${path}/log`, { key: ada.token, body: { outcome: 'cancelled' } })).status,
    ).toBe(409);
    expect((await call(app, 'PATCH', path, { key: ada.token, body: { agenda: 'Later' } })).status).toBe(409);

    const types = (await events(key)).map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t.startsWith('meeting.'))).toEqual([
      'meeting.scheduled',
      'meeting.rescheduled',
      'meeting.logged',
    ]);
  });

  test('a log names members only, each once; held needs two attendees, no-show an absentee', async () => {
    const { ada, ben, cy, ours } = await twoPairs(app);
    const meeting = await schedule(app, ada.token, ours);
    const log = (body: unknown) =>
      call(app, 'POST', `/v1/relationships/${ours}/meetings/${meeting.id}/log`, { key: ben.token, body });
    const outsider = await log({
      outcome: 'held',
      attendance: [
        { personId: ada.personId, attended: true },
        { personId: cy.personId, attended: true },
      ],
    });
    expect(outsider.status).toBe(422);
    expect(outsider.json.errors).toContainEqual(expect.objectContaining({ field: '/attendance/1/personId' }));
    const alone = await log({
      outcome: 'held',
      attendance: [
        { personId: ada.personId, attended: true },
        { personId: ben.personId, attended: false },
      ],
    });
    expect(alone.status).toBe(422);
    const noShow = await log({
      outcome: 'no_show',
      attendance: [
        { personId: ada.personId, attended: true },
        { personId: ben.personId, attended: false },
      ],
      topics: ['waited 20 minutes'],
      sharedNotes: 'Ben was ill',
    });
    expect(noShow.status).toBe(200);
    expect(noShow.json).toMatchObject({
      status: 'no_show',
      topics: ['waited 20 minutes'],
      sharedNotes: 'Ben was ill',
    });
  });

  test('lists upcoming meetings soonest first, past ones latest first, and filters by status', async () => {
    const { key, ada, ben, ours } = await twoPairs(app);
    const inTwo = await schedule(app, ada.token, ours, { startsAt: daysFromNow(2) });
    const inOne = await schedule(app, ada.token, ours, { startsAt: daysFromNow(1) });
    const held = await heldMeeting(app, ada, ben, ours);
    const older = await schedule(app, ada.token, ours, { startsAt: daysFromNow(-3) });
    const ids = async (query: string, token = ada.token) =>
      (await call(app, 'GET', `/v1/relationships/${ours}/meetings${query}`, { key: token })).json.items.map(
        (m: { id: string }) => m.id,
      );
    expect(await ids('')).toEqual([inOne.id, inTwo.id]);
    expect(await ids('?when=past')).toEqual([held.id, older.id]);
    expect(await ids('?when=all&status=held', key)).toEqual([held.id]);
    // Moving a meeting moves it in the order.
    await call(app, 'PATCH', `/v1/relationships/${ours}/meetings/${inTwo.id}`, {
      key: ben.token,
      body: { startsAt: daysFromNow(0.5) },
    });
    expect(await ids('')).toEqual([inTwo.id, inOne.id]);
    const first = await call(app, 'GET', `/v1/relationships/${ours}/meetings?when=all&limit=2`, {
      key: ben.token,
    });
    const rest = await call(
      app,
      'GET',
      `/v1/relationships/${ours}/meetings?when=all&limit=2&cursor=${first.json.nextCursor}`,
      {
        key: ben.token,
      },
    );
    expect([...first.json.items, ...rest.json.items].map((m: { id: string }) => m.id)).toEqual([
      older.id,
      held.id,
      inTwo.id,
      inOne.id,
    ]);
  });

  test('an ended relationship takes no meetings', async () => {
    const { key, ada, ours } = await twoPairs(app);
    const meeting = await schedule(app, ada.token, ours, { startsAt: daysFromNow(3) });
    expect((await call(app, 'POST', `/v1/relationships/${ours}/complete`, { key })).status).toBe(200);
    const body = { startsAt: daysFromNow(4), timeZone: 'UTC', durationMinutes: 30 };
    expect(
      (await call(app, 'POST', `/v1/relationships/${ours}/meetings`, { key: ada.token, body })).status,
    ).toBe(409);
    expect(
      (
        await call(app, 'PATCH', `/v1/relationships/${ours}/meetings/${meeting.id}`, {
          key: ada.token,
          body: { durationMinutes: 30 },
        })
      ).status,
    ).toBe(409);
  });

  test('private notes: only their author reads them; never admins, other members, or events', async () => {
    const { key, ada, ben, ours } = await twoPairs(app);
    const meeting = await heldMeeting(app, ada, ben, ours);
    const path = `/v1/relationships/${ours}/meetings/${meeting.id}/private-note`;
    const secret = 'Ada privately thinks the pairing is shaky';
    const created = await call(app, 'PUT', path, { key: ada.token, body: { text: secret } });
    expect(created.status).toBe(201);
    const replaced = await call(app, 'PUT', path, {
      key: ada.token,
      body: { text: `${secret}, still` },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ text: `${secret}, still`, version: 2 });
    expect((await call(app, 'GET', path, { key: ada.token })).json.text).toBe(`${secret}, still`);

    // Ben has a note of his own (none yet); he never sees Ada's.
    expect((await call(app, 'GET', path, { key: ben.token })).status).toBe(404);
    // An admin key is refused, on reading and on writing.
    expect((await call(app, 'GET', path, { key })).status).toBe(403);
    expect((await call(app, 'PUT', path, { key, body: { text: 'admin' } })).status).toBe(403);

    const adminReads = [
      await call(app, 'GET', `/v1/relationships/${ours}/meetings/${meeting.id}`, { key }),
      await call(app, 'GET', `/v1/relationships/${ours}/meetings?when=all`, { key }),
      await call(app, 'GET', `/v1/relationships/${ours}`, { key }),
      await call(app, 'GET', `/v1/relationships/${ours}/feedback-summary`, { key }),
      await call(app, 'GET', '/v1/events?limit=100', { key }),
    ];
    for (const read of adminReads) {
      expect(read.status).toBe(200);
      expect(read.text).not.toContain('privately');
    }
  });

  test("another person's relationship and meeting ids are 404 on every meeting route", async () => {
    const { ada, cy, di, theirs } = await twoPairs(app);
    const meeting = await heldMeeting(app, cy, di, theirs);
    const base = `/v1/relationships/${theirs}/meetings`;
    const attempts: [string, string, unknown?][] = [
      ['POST', base, { startsAt: daysFromNow(1), timeZone: 'UTC', durationMinutes: 30 }],
      ['GET', base],
      ['GET', `${base}/${meeting.id}`],
      ['PATCH', `${base}/${meeting.id}`, { agenda: 'mine now' }],
      ['POST', `${base}/${meeting.id}/log`, { outcome: 'cancelled' }],
      ['GET', `${base}/${meeting.id}/private-note`],
      ['PUT', `${base}/${meeting.id}/private-note`, { text: 'snooping' }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(app, method, path, { key: ada.token, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
  });
});

describe('the first meeting milestone', () => {
  test('the first meeting logged as held reaches first_meeting in the same write; later ones and cancellations do not', async () => {
    const { key, ada, ben, ours } = await twoPairs(app);
    const held = {
      outcome: 'held' as const,
      attendance: [
        { personId: ada.personId, attended: true },
        { personId: ben.personId, attended: true },
      ],
    };
    const milestone = async () =>
      (await call(app, 'GET', `/v1/relationships/${ours}/milestones`, { key: ada.token })).json.items.find(
        (m: { key: string }) => m.key === 'first_meeting',
      );
    const cancelled = await schedule(app, ada.token, ours);
    const log = (id: string, body: unknown) =>
      call(app, 'POST', `/v1/relationships/${ours}/meetings/${id}/log`, { key: ben.token, body });
    expect((await log(cancelled.id, { outcome: 'cancelled' })).status).toBe(200);
    expect((await milestone()).status).toBe('pending');

    const first = await schedule(app, ada.token, ours);
    const second = await schedule(app, ada.token, ours);
    expect((await log(first.id, held)).status).toBe(200);
    const reached = await milestone();
    expect(reached.status).toBe('reached');
    expect((await log(second.id, held)).status).toBe(200);
    expect((await milestone()).reachedAt).toBe(reached.reachedAt);
    const events = await call(app, 'GET', '/v1/events?type=milestone.reached&limit=100', { key });
    expect(events.json.items.map((e: any) => e.data.key)).toEqual(['first_meeting']);
  });
});
