import { describe, expect, test } from 'vitest';
import { call, testApp } from '../support/app.ts';
import { heldMeeting, schedule, twoPairs } from './workspace.ts';

const app = testApp();

describe('feedback', () => {
  test('each attendee rates a held meeting once; admins see aggregates and only shared comments', async () => {
    const { key, ada, ben, ours } = await twoPairs(app);
    const first = await heldMeeting(app, ada, ben, ours);
    const second = await heldMeeting(app, ada, ben, ours);
    const feedback = (meetingId: string) => `/v1/relationships/${ours}/meetings/${meetingId}/feedback`;

    const adas = await call(app, 'POST', feedback(first.id), {
      key: ada.token,
      body: { rating: 5, comment: 'Ada shares this', pairingWorking: 'yes', shareCommentWithAdmins: true },
    });
    expect(adas.status).toBe(201);
    expect(adas.json).toMatchObject({ personId: ada.personId, rating: 5, shareCommentWithAdmins: true });
    const bens = await call(app, 'POST', feedback(first.id), {
      key: ben.token,
      body: { rating: 2, comment: 'Ben keeps this to himself', pairingWorking: 'somewhat' },
    });
    expect(bens.status).toBe(201);
    expect(bens.json.shareCommentWithAdmins).toBe(false);
    await call(app, 'POST', feedback(second.id), { key: ben.token, body: { rating: 3 } });

    // Feedback is final: a second submission is refused and changes nothing.
    const again = await call(app, 'POST', feedback(first.id), { key: ben.token, body: { rating: 5 } });
    expect(again.status).toBe(409);
    const own = await call(app, 'GET', `/v1/relationships/${ours}/meetings/${first.id}/my-feedback`, {
      key: ben.token,
    });
    expect(own.json).toMatchObject({ rating: 2, comment: 'Ben keeps this to himself' });

    const meetingSummary = await call(
      app,
      'GET',
      `/v1/relationships/${ours}/meetings/${first.id}/feedback-summary`,
      {
        key,
      },
    );
    expect(meetingSummary.json).toEqual({
      relationshipId: ours,
      meetingId: first.id,
      count: 2,
      averageRating: 3.5,
      ratings: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
      pairingWorking: { yes: 1, somewhat: 1, no: 0 },
      sharedComments: [
        {
          meetingId: first.id,
          personId: ada.personId,
          rating: 5,
          comment: 'Ada shares this',
          createdAt: adas.json.createdAt,
        },
      ],
    });
    const summary = await call(app, 'GET', `/v1/relationships/${ours}/feedback-summary`, { key });
    expect(summary.json).toMatchObject({
      count: 3,
      averageRating: 3.33,
      ratings: { '2': 1, '3': 1, '5': 1 },
    });
    expect(summary.json.meetingId).toBeUndefined();

    // The unshared comment appears in no admin read and in no event.
    const events = await call(app, 'GET', '/v1/events?limit=100', { key });
    const submitted = events.json.items.filter((e: { type: string }) => e.type === 'feedback.submitted');
    expect(submitted.map((e: { data: { rating: number } }) => e.data.rating)).toEqual([5, 2, 3]);
    for (const read of [meetingSummary, summary, events]) {
      expect(read.text).not.toContain('keeps this');
    }
    expect(events.text).not.toContain('Ada shares this');
    // Admins read aggregates, not one member's feedback; members read no aggregates.
    expect(
      (await call(app, 'GET', `/v1/relationships/${ours}/meetings/${first.id}/my-feedback`, { key })).status,
    ).toBe(403);
    expect(
      (await call(app, 'GET', `/v1/relationships/${ours}/feedback-summary`, { key: ada.token })).status,
    ).toBe(403);
  });

  test('only attendees of a held meeting rate it, and only with their own token', async () => {
    const { key, ada, ben, ours } = await twoPairs(app);
    const scheduled = await schedule(app, ada.token, ours);
    const path = (id: string) => `/v1/relationships/${ours}/meetings/${id}/feedback`;
    expect(
      (await call(app, 'POST', path(scheduled.id), { key: ada.token, body: { rating: 4 } })).status,
    ).toBe(409);
    await call(app, 'POST', `/v1/relationships/${ours}/meetings/${scheduled.id}/log`, {
      key: ada.token,
      body: {
        outcome: 'no_show',
        attendance: [
          { personId: ada.personId, attended: true },
          { personId: ben.personId, attended: false },
        ],
      },
    });
    expect(
      (await call(app, 'POST', path(scheduled.id), { key: ada.token, body: { rating: 4 } })).status,
    ).toBe(409);
    const held = await heldMeeting(app, ada, ben, ours);
    expect((await call(app, 'POST', path(held.id), { key, body: { rating: 4 } })).status).toBe(403);
    const invalid = await call(app, 'POST', path(held.id), { key: ada.token, body: { rating: 6 } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors[0].field).toBe('/rating');
  });

  test("another person's relationship and meeting ids are 404 on every feedback route", async () => {
    const { ada, cy, di, theirs } = await twoPairs(app);
    const meeting = await heldMeeting(app, cy, di, theirs);
    const base = `/v1/relationships/${theirs}/meetings/${meeting.id}`;
    expect(
      (await call(app, 'POST', `${base}/feedback`, { key: ada.token, body: { rating: 1 } })).status,
    ).toBe(404);
    expect((await call(app, 'GET', `${base}/my-feedback`, { key: ada.token })).status).toBe(404);
    // The summaries are admins' routes: a participant is refused whatever the ids.
    expect((await call(app, 'GET', `${base}/feedback-summary`, { key: ada.token })).status).toBe(403);
  });
});
