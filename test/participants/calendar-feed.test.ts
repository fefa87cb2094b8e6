import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import { call, testApp } from '../support/app.ts';
import { heldMeeting, schedule, twoPairs } from './workspace.ts';

const app = testApp();

/** Reads a feed the way a calendar app does: a full RFC 5545 parse. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      sequence: event.sequence,
      summary: event.summary,
      location: event.location,
    };
  });
}

const feedPath = (url: string) => new URL(url).pathname;

describe('calendar feed', () => {
  test("a person's feed has their meetings across relationships as RFC 5545 events, at the stored instants", async () => {
    const { tenant, ada, ben, ours } = await twoPairs(app);
    // Scheduled in winter time for the Monday after Berlin moves to summer time (2027-03-28).
    const acrossDst = await schedule(app, ada.token, ours, {
      startsAt: '2027-03-29T10:00:00+02:00',
      timeZone: 'Europe/Berlin',
      durationMinutes: 60,
      location: 'Room 4; by the window',
    });
    const held = await heldMeeting(app, ada, ben, ours);
    const cancelled = await schedule(app, ben.token, ours, { startsAt: '2027-05-01T09:00:00Z' });
    await call(app, 'POST', `/v1/relationships/${ours}/meetings/${cancelled.id}/log`, {
      key: ben.token,
      body: { outcome: 'cancelled' },
    });
    // Ada's second relationship, in another program.
    const other = await call(app, 'POST', '/v1/programs', {
      key: tenant.key,
      body: { name: 'Circles', format: 'peer_pairs' },
    });
    for (const personId of [ada.personId, ben.personId])
      await call(app, 'POST', `/v1/programs/${other.json.id}/enrollments`, {
        key: tenant.key,
        body: { personId, role: 'peer' },
      });
    const second = await call(app, 'POST', '/v1/relationships', {
      key: tenant.key,
      body: { programId: other.json.id, personIds: [ada.personId, ben.personId] },
    });
    const elsewhere = await schedule(app, ben.token, second.json.id, {
      startsAt: '2027-06-01T16:30:00Z',
      timeZone: 'America/New_York',
    });

    const created = await call(app, 'POST', '/v1/me/calendar-feed', { key: ada.token });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      rotated: false,
      url: expect.stringMatching(/\/v1\/calendar-feeds\/cal_[\w-]{43}\.ics$/),
    });

    const feed = await call(app, 'GET', feedPath(created.json.url));
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = parse(feed.text);
    expect(events.map((e) => e.uid)).toEqual([
      `${held.id}@tandem`,
      `${acrossDst.id}@tandem`,
      `${elsewhere.id}@tandem`,
    ]);
    const dst = events[1]!;
    expect(dst.start).toBe(acrossDst.startsAt);
    expect(dst.start).toBe('2027-03-29T08:00:00.000Z');
    expect(dst.end).toBe('2027-03-29T09:00:00.000Z');
    expect(dst.location).toBe('Room 4; by the window');
    expect(dst.summary).toBe('Peers: mentoring meeting');
    expect(events[2]!.start).toBe('2027-06-01T16:30:00.000Z');
    expect(events[0]!.start).toBe(held.startsAt);

    // Rescheduling keeps the UID and raises the SEQUENCE.
    await call(app, 'PATCH', `/v1/relationships/${ours}/meetings/${acrossDst.id}`, {
      key: ben.token,
      body: { startsAt: '2027-03-26T10:00:00+01:00' },
    });
    const after = parse((await call(app, 'GET', feedPath(created.json.url))).text);
    const moved = after.find((e) => e.uid === `${acrossDst.id}@tandem`)!;
    expect(moved.sequence).toBeGreaterThan(dst.sequence);
    expect(moved.start).toBe('2027-03-26T09:00:00.000Z');
  });

  test('rotating retires the old URL, revoking the current one; the token is never stored or replayed', async () => {
    const { key, ada } = await twoPairs(app);
    const first = await call(app, 'POST', '/v1/me/calendar-feed', {
      key: ada.token,
      headers: { 'idempotency-key': 'feed-1' },
    });
    const replay = await call(app, 'POST', '/v1/me/calendar-feed', {
      key: ada.token,
      headers: { 'idempotency-key': 'feed-1' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.url).toBeNull();
    expect((await call(app, 'GET', feedPath(first.json.url))).status).toBe(200);

    const second = await call(app, 'POST', '/v1/me/calendar-feed', { key: ada.token });
    expect(second.json.rotated).toBe(true);
    expect((await call(app, 'GET', feedPath(first.json.url))).status).toBe(404);
    expect((await call(app, 'GET', feedPath(second.json.url))).status).toBe(200);

    expect(
      (await call(app, 'DELETE', '/v1/me/calendar-feed', { key: ada.token, headers: { 'if-match': '"1"' } }))
        .status,
    ).toBe(412);
    expect((await call(app, 'DELETE', '/v1/me/calendar-feed', { key: ada.token })).status).toBe(204);
    const revoked = await call(app, 'GET', feedPath(second.json.url));
    expect(revoked.status).toBe(404);
    expect(revoked.headers.get('content-type')).toBe('application/problem+json');
    expect((await call(app, 'DELETE', '/v1/me/calendar-feed', { key: ada.token })).status).toBe(404);

    const token = /cal_[\w-]{43}/.exec(second.json.url)![0];
    const events = await call(app, 'GET', '/v1/events?limit=100', { key });
    expect(
      events.json.items.filter((e: { type: string }) => e.type.startsWith('calendar_feed.')).length,
    ).toBe(3);
    expect(events.text).not.toContain(token);
  });

  test('the feed route needs no credentials but a real token; feed management is for participants only', async () => {
    const { key, ada } = await twoPairs(app);
    expect((await call(app, 'GET', `/v1/calendar-feeds/cal_${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await call(app, 'GET', '/v1/calendar-feeds/not-a-token.ics')).status).toBe(400);
    expect((await call(app, 'POST', '/v1/me/calendar-feed', { key })).status).toBe(403);
    expect((await call(app, 'POST', '/v1/me/calendar-feed')).status).toBe(401);
    // A participant's own meetings only: Cy and Di's meeting is not in Ada's feed.
    const created = await call(app, 'POST', '/v1/me/calendar-feed', { key: ada.token });
    const feed = await call(app, 'GET', feedPath(created.json.url), { key });
    expect(parse(feed.text)).toEqual([]);
    // A leaver's feed closes with their departure.
    await call(app, 'PATCH', `/v1/people/${ada.personId}`, { key, body: { status: 'left' } });
    expect((await call(app, 'GET', feedPath(created.json.url))).status).toBe(404);
  });
});
