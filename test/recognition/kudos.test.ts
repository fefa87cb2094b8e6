import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

type App = ReturnType<typeof testApp>;

/**
 * Program A with Ada, Ben and Eve enrolled, program B with Cy, and Di enrolled nowhere; every
 * person holds a participant token.
 */
async function organization(app: App) {
  const tenant = await newTenant(app);
  const { key } = tenant;
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  const programA = (await post('/v1/programs', { name: 'Program A', format: 'peer_pairs' })).id as string;
  const programB = (await post('/v1/programs', { name: 'Program B', format: 'peer_pairs' })).id as string;
  const people: Record<string, string> = {};
  for (const name of ['Ada', 'Ben', 'Eve', 'Cy', 'Di'])
    people[name] = (await post('/v1/people', { name, email: uniqueEmail(name) })).id;
  for (const name of ['Ada', 'Ben', 'Eve'])
    await post(`/v1/programs/${programA}/enrollments`, { personId: people[name], role: 'peer' });
  await post(`/v1/programs/${programB}/enrollments`, { personId: people.Cy, role: 'peer' });
  const tokens: Record<string, string> = {};
  for (const [name, id] of Object.entries(people)) tokens[name] = await participantToken(app, tenant, id);
  return { ...tenant, programA, programB, people, tokens };
}

const feedIds = async (app: App, key: string, query = '') => {
  const res = await call(app, 'GET', `/v1/recognition-feed${query}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((entry: { kind: string; kudos: { id: string } }) => {
    expect(entry.kind).toBe('kudos');
    return entry.kudos.id;
  }) as string[];
};

const events = async (app: App, key: string, type: string) =>
  (await call(app, 'GET', `/v1/events?type=${type}&limit=100`, { key })).json.items as {
    data: Record<string, unknown>;
  }[];

describe('kudos', () => {
  test('who sees a kudos: organization, program and recipient visibility for admins, members, other programs and outsiders', async () => {
    const app = testApp();
    const org = await organization(app);
    const { key, tokens, people, programA } = org;
    const give = async (visibility: string, extra: Record<string, unknown> = {}) => {
      const res = await call(app, 'POST', '/v1/kudos', {
        key: tokens.Ada,
        body: { recipientId: people.Ben, message: `Thanks (${visibility})`, visibility, ...extra },
      });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    const everyone = await give('organization', { skill: 'listening' });
    const program = await give('program', { programId: programA });
    const recipientOnly = await give('recipient');

    const all = [recipientOnly, program, everyone];
    expect(await feedIds(app, key)).toEqual(all);
    expect(await feedIds(app, tokens.Ada!)).toEqual(all); // the sender
    expect(await feedIds(app, tokens.Ben!)).toEqual(all); // the recipient
    expect(await feedIds(app, tokens.Eve!)).toEqual([program, everyone]); // enrolled in program A
    expect(await feedIds(app, tokens.Cy!)).toEqual([everyone]); // another program
    expect(await feedIds(app, tokens.Di!)).toEqual([everyone]); // enrolled nowhere

    // One kudos by id follows the same rule; what is not visible does not exist.
    const status = async (token: string, id: string) =>
      (await call(app, 'GET', `/v1/kudos/${id}`, { key: token })).status;
    expect(await status(key, recipientOnly)).toBe(200);
    expect(await status(tokens.Ben!, recipientOnly)).toBe(200);
    expect(await status(tokens.Eve!, program)).toBe(200);
    expect(await status(tokens.Eve!, recipientOnly)).toBe(404);
    expect(await status(tokens.Cy!, program)).toBe(404);
    expect(await status(tokens.Di!, everyone)).toBe(200);

    // Another organization sees none of it.
    const other = await newTenant(app);
    expect(await feedIds(app, other.key)).toEqual([]);
    expect((await call(app, 'GET', `/v1/kudos/${everyone}`, { key: other.key })).status).toBe(404);

    const given = await events(app, key, 'kudos.given');
    expect(given.map((e) => e.data.visibility)).toEqual(['organization', 'program', 'recipient']);
    expect(given[0]!.data).toEqual({
      kudosId: everyone,
      senderId: people.Ada,
      recipientId: people.Ben,
      visibility: 'organization',
      skill: 'listening',
      sentByAdmin: false,
    });
    expect(JSON.stringify(given)).not.toContain('Thanks');
  });

  test('kudos to oneself, for another program, or through a relationship of someone else are refused and leave nothing', async () => {
    const app = testApp();
    const { key, tokens, people, programB } = await organization(app);
    const self = await call(app, 'POST', '/v1/kudos', {
      key: tokens.Ada,
      body: { recipientId: people.Ada, message: 'Well done, me' },
    });
    expect(self.status).toBe(422);
    expect(self.json.errors).toEqual([expect.objectContaining({ field: '/recipientId', in: 'body' })]);
    const onBehalf = await call(app, 'POST', '/v1/kudos', {
      key,
      body: { senderId: people.Ben, recipientId: people.Ben, message: 'Self' },
    });
    expect(onBehalf.status).toBe(422);
    expect(onBehalf.json.errors[0].field).toBe('/recipientId');

    const noSender = await call(app, 'POST', '/v1/kudos', {
      key,
      body: { recipientId: people.Ben, message: 'Hi' },
    });
    expect(noSender.status).toBe(422);
    expect(noSender.json.errors[0].field).toBe('/senderId');

    const notMine = await call(app, 'POST', '/v1/kudos', {
      key: tokens.Ada,
      body: { recipientId: people.Cy, message: 'Hi', visibility: 'program', programId: programB },
    });
    expect(notMine.status).toBe(422);
    expect(notMine.json.errors[0].field).toBe('/programId');

    const pair = await call(app, 'POST', '/v1/relationships', {
      key,
      body: {
        programId: (await call(app, 'GET', '/v1/programs', { key })).json.items[0].id,
        personIds: [people.Ben, people.Eve],
      },
    });
    expect(pair.status, pair.text).toBe(201);
    const foreign = await call(app, 'POST', '/v1/kudos', {
      key: tokens.Ada,
      body: { recipientId: people.Ben, message: 'Hi', relationshipId: pair.json.id },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors[0].field).toBe('/relationshipId');

    // Ben, a member, may link it; the kudos takes the relationship's program.
    const linked = await call(app, 'POST', '/v1/kudos', {
      key: tokens.Ben,
      body: {
        recipientId: people.Eve,
        message: 'Great first session',
        relationshipId: pair.json.id,
        visibility: 'program',
      },
    });
    expect(linked.status, linked.text).toBe(201);
    expect(linked.json.programId).toBe(pair.json.programId);

    expect(await feedIds(app, key)).toEqual([linked.json.id]);
    expect(await events(app, key, 'kudos.given')).toHaveLength(1);
  });

  test('a sender has a daily allowance: past it 429 with Retry-After, and the next UTC day renews it', async () => {
    let now = new Date('2031-03-10T22:00:00.000Z');
    const app = testApp({ now: () => now });
    const { key, tokens, people } = await organization(app);

    const defaults = await call(app, 'GET', '/v1/recognition-settings', { key });
    expect(defaults.json).toEqual({ kudosPerSenderPerDay: 10, version: 0 });
    expect(defaults.headers.get('etag')).toBe('"0"');
    const set = await call(app, 'PUT', '/v1/recognition-settings', {
      key,
      headers: { 'if-match': '"0"' },
      body: { kudosPerSenderPerDay: 2 },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json.version).toBe(1);
    const stale = await call(app, 'PUT', '/v1/recognition-settings', {
      key,
      headers: { 'if-match': '"0"' },
      body: { kudosPerSenderPerDay: 5 },
    });
    expect(stale.status).toBe(412);

    const send = (token: string, recipientId: string) =>
      call(app, 'POST', '/v1/kudos', { key: token, body: { recipientId, message: 'Thank you' } });
    expect((await send(tokens.Ada!, people.Ben!)).status).toBe(201);
    expect((await send(tokens.Ada!, people.Eve!)).status).toBe(201);
    const retried = { 'idempotency-key': 'ada-thanks-cy' };
    const third = await call(app, 'POST', '/v1/kudos', {
      key: tokens.Ada,
      headers: retried,
      body: { recipientId: people.Cy, message: 'Thank you' },
    });
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    expect(third.headers.get('retry-after')).toBe(String(2 * 3600));
    // An admin sending on Ada's behalf draws on the same allowance.
    const behalf = await call(app, 'POST', '/v1/kudos', {
      key,
      body: { senderId: people.Ada, recipientId: people.Cy, message: 'Thank you' },
    });
    expect(behalf.status).toBe(429);
    // Others have their own.
    expect((await send(tokens.Ben!, people.Ada!)).status).toBe(201);
    expect(await feedIds(app, key)).toHaveLength(3);

    now = new Date('2031-03-11T00:00:01.000Z');
    // The refused request, retried with its key when the day renewed, runs again rather than replaying 429.
    const later = await call(app, 'POST', '/v1/kudos', {
      key: tokens.Ada,
      headers: retried,
      body: { recipientId: people.Cy, message: 'Thank you' },
    });
    expect(later.status, later.text).toBe(201);
    expect(await events(app, key, 'kudos.given')).toHaveLength(4);
  });

  test('the feed pages newest first with a cursor, for admins and for a participant whose view is filtered', async () => {
    let now = new Date('2031-06-01T09:00:00.000Z');
    const app = testApp({ now: () => now });
    const { key, tokens, people, programB } = await organization(app);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      now = new Date(now.getTime() + 60_000);
      // Every other kudos is Ben's alone to see, so Cy's pages are cut from a thinned-out feed.
      const res = await call(app, 'POST', '/v1/kudos', {
        key,
        body: {
          senderId: people.Cy,
          recipientId: i % 2 ? people.Ben : people.Di,
          message: `Kudos ${i}`,
          visibility: i % 2 ? 'recipient' : 'program',
          ...(i % 2 ? {} : { programId: programB }),
        },
      });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    const newestFirst = [...ids].reverse();
    const walk = async (token: string, limit: number) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          app,
          'GET',
          `/v1/recognition-feed?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { key: token },
        );
        expect(res.status, res.text).toBe(200);
        pages.push(res.json.items.map((e: { kudos: { id: string } }) => e.kudos.id));
        cursor = res.json.nextCursor;
      } while (cursor);
      return pages;
    };
    expect(await walk(key, 3)).toEqual([
      newestFirst.slice(0, 3),
      newestFirst.slice(3, 6),
      newestFirst.slice(6),
    ]);
    const bens = ids.filter((_, i) => i % 2 === 1).reverse();
    expect((await walk(tokens.Ben!, 2)).flat()).toEqual(bens);
    // Di sees the program-B kudos sent to her (she is not enrolled in B) but none of Ben's.
    const dis = ids.filter((_, i) => i % 2 === 0).reverse();
    const diPages = await walk(tokens.Di!, 2);
    expect(diPages.flat()).toEqual(dis);
    expect(diPages.map((p) => p.length)).toEqual([2, 2]);
    // A cursor is bound to its reader.
    const first = await call(app, 'GET', '/v1/recognition-feed?limit=1', { key: tokens.Ben });
    const stolen = await call(
      app,
      'GET',
      `/v1/recognition-feed?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      { key: tokens.Di },
    );
    expect(stolen.status).toBe(422);
  });

  test('its sender or an admin deletes a kudos; its recipient cannot', async () => {
    const app = testApp();
    const { key, tokens, people } = await organization(app);
    const give = async () =>
      (
        await call(app, 'POST', '/v1/kudos', {
          key: tokens.Ada,
          body: { recipientId: people.Ben, message: 'Thanks' },
        })
      ).json.id as string;
    const first = await give();
    const second = await give();
    expect((await call(app, 'DELETE', `/v1/kudos/${first}`, { key: tokens.Ben })).status).toBe(403);
    expect(
      (await call(app, 'DELETE', `/v1/kudos/${first}`, { key: tokens.Ada, headers: { 'if-match': '"7"' } }))
        .status,
    ).toBe(412);
    expect((await call(app, 'DELETE', `/v1/kudos/${first}`, { key: tokens.Ada })).status).toBe(204);
    expect((await call(app, 'DELETE', `/v1/kudos/${second}`, { key })).status).toBe(204);
    expect((await call(app, 'GET', `/v1/kudos/${first}`, { key })).status).toBe(404);
    expect(await feedIds(app, key)).toEqual([]);
    expect((await events(app, key, 'kudos.deleted')).map((e) => e.data.kudosId)).toEqual([first, second]);
  });
});
