import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

const app = testApp();

/**
 * Program A with Ada and Ben enrolled, program B with Cy, Di enrolled nowhere, and Eve who was
 * enrolled in A and withdrew: only Ada and Ben (and admins) belong to A's community.
 */
async function community() {
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
  for (const name of ['Ada', 'Ben', 'Cy', 'Di', 'Eve'])
    people[name] = (await post('/v1/people', { name, email: uniqueEmail(name) })).id;
  for (const name of ['Ada', 'Ben', 'Eve'])
    await post(`/v1/programs/${programA}/enrollments`, { personId: people[name], role: 'peer' });
  const eve = await call(app, 'GET', `/v1/programs/${programA}/enrollments?personId=${people.Eve}`, { key });
  await call(app, 'DELETE', `/v1/programs/${programA}/enrollments/${eve.json.items[0].id}`, { key });
  await post(`/v1/programs/${programB}/enrollments`, { personId: people.Cy, role: 'peer' });
  const tokens: Record<string, string> = {};
  for (const [name, id] of Object.entries(people)) tokens[name] = await participantToken(app, tenant, id);
  const posts = `/v1/programs/${programA}/posts`;
  return { ...tenant, programA, programB, people, tokens, posts };
}

const events = async (key: string, type: string) =>
  (await call(app, 'GET', `/v1/events?type=${type}&limit=100`, { key })).json.items as {
    data: Record<string, unknown>;
  }[];

describe('a program community', () => {
  test('enrolled participants share posts, list them newest first by tag with a cursor, and reply', async () => {
    const { key, people, tokens, posts } = await community();
    const first = await call(app, 'POST', posts, {
      key: tokens.Ada,
      body: {
        title: 'Agendas help',
        text: 'Send the agenda a day ahead.',
        tags: ['Meetings', 'giving feedback'],
      },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      authorId: people.Ada,
      tags: ['Meetings', 'giving feedback'],
      version: 1,
    });
    const second = await call(app, 'POST', posts, {
      key: tokens.Ben,
      body: { title: 'A good read', url: 'https://example.com/feedback', tags: ['giving feedback'] },
    });
    expect(second.status).toBe(201);
    const third = await call(app, 'POST', posts, {
      key,
      body: { title: 'Welcome', text: 'From the program team' },
    });
    expect(third.status).toBe(201);
    expect(third.json.authorId).toBeUndefined();

    const all = await call(app, 'GET', posts, { key: tokens.Ben });
    expect(all.json.items.map((p: { id: string }) => p.id)).toEqual([
      third.json.id,
      second.json.id,
      first.json.id,
    ]);
    const tagged = await call(app, 'GET', `${posts}?tag=GIVING%20FEEDBACK`, { key: tokens.Ada });
    expect(tagged.json.items.map((p: { id: string }) => p.id)).toEqual([second.json.id, first.json.id]);
    const page1 = await call(app, 'GET', `${posts}?tag=giving%20feedback&limit=1`, { key: tokens.Ada });
    expect(page1.json.items.map((p: { id: string }) => p.id)).toEqual([second.json.id]);
    const page2 = await call(
      app,
      'GET',
      `${posts}?tag=giving%20feedback&limit=1&cursor=${page1.json.nextCursor}`,
      {
        key: tokens.Ada,
      },
    );
    expect(page2.json.items.map((p: { id: string }) => p.id)).toEqual([first.json.id]);
    expect(page2.json.nextCursor).toBeNull();

    const reply = await call(app, 'POST', `${posts}/${first.json.id}/replies`, {
      key: tokens.Ben,
      body: { text: 'Agreed, and keep it short.' },
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ postId: first.json.id, authorId: people.Ben });
    const thread = await call(app, 'GET', `${posts}/${first.json.id}`, { key: tokens.Ada });
    expect(thread.status).toBe(200);
    expect(thread.headers.get('etag')).toBe('"1"');
    expect(thread.json.replies.map((r: { text: string }) => r.text)).toEqual(['Agreed, and keep it short.']);

    // Events are thin: ids, never the words.
    const created = await events(key, 'post.created');
    expect(created.map((e) => e.data.postId)).toEqual([first.json.id, second.json.id, third.json.id]);
    expect(created[0]!.data).toEqual({
      postId: first.json.id,
      programId: first.json.programId,
      authorId: people.Ada,
    });
    const replied = await events(key, 'post.replied');
    expect(replied[0]!.data).toEqual({
      postId: first.json.id,
      programId: first.json.programId,
      replyId: reply.json.id,
      authorId: people.Ben,
    });
  });

  test('a post needs text or a link; links are http(s) only; tags are unique', async () => {
    const { tokens, posts } = await community();
    const bare = await call(app, 'POST', posts, { key: tokens.Ada, body: { title: 'Only a title' } });
    expect(bare.status).toBe(400);
    expect(bare.json.errors.map((e: { field: string }) => e.field)).toEqual(['/text']);
    const script = await call(app, 'POST', posts, {
      key: tokens.Ada,
      body: { title: 'Click', url: 'javascript:alert(1)' },
    });
    expect(script.status).toBe(400);
    expect(script.json.errors.map((e: { field: string }) => e.field)).toEqual(['/url']);
    const twice = await call(app, 'POST', posts, {
      key: tokens.Ada,
      body: { title: 'Tags', text: 'x', tags: ['Listening', 'listening'] },
    });
    expect(twice.status).toBe(400);
    expect(twice.json.errors.map((e: { field: string }) => e.field)).toEqual(['/tags/1']);
    expect((await call(app, 'GET', posts, { key: tokens.Ada })).json.items).toEqual([]);
  });

  test('authors edit and delete their own posts and replies; nobody else can', async () => {
    const { key, tokens, posts } = await community();
    const created = await call(app, 'POST', posts, {
      key: tokens.Ada,
      body: { title: 'Draft', text: 'First words', url: 'https://example.com/a' },
    });
    const path = `${posts}/${created.json.id}`;
    const edited = await call(app, 'PATCH', path, {
      key: tokens.Ada,
      headers: { 'if-match': '"1"' },
      body: { title: 'Final', url: null, tags: ['listening'] },
    });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({
      title: 'Final',
      text: 'First words',
      tags: ['listening'],
      version: 2,
    });
    expect(edited.json.url).toBeUndefined();
    const stale = await call(app, 'PATCH', path, {
      key: tokens.Ada,
      headers: { 'if-match': '"1"' },
      body: { title: 'Lost' },
    });
    expect(stale.status).toBe(412);
    const empty = await call(app, 'PATCH', path, { key: tokens.Ada, body: { text: null } });
    expect(empty.status).toBe(422);
    expect(empty.json.errors.map((e: { field: string }) => e.field)).toEqual(['/text']);

    // Ben sees the post but it is not his; an admin moderates by hiding, never rewrites.
    for (const who of [tokens.Ben, key]) {
      expect((await call(app, 'PATCH', path, { key: who, body: { title: 'Mine now' } })).status).toBe(403);
      expect((await call(app, 'DELETE', path, { key: who })).status).toBe(403);
    }

    const reply = await call(app, 'POST', `${path}/replies`, { key: tokens.Ben, body: { text: 'Nice' } });
    const replyPath = `${path}/replies/${reply.json.id}`;
    const withReplies = await call(app, 'DELETE', path, { key: tokens.Ada });
    expect(withReplies.status).toBe(409);
    expect((await call(app, 'DELETE', replyPath, { key: tokens.Ada })).status).toBe(403);
    expect(
      (await call(app, 'DELETE', replyPath, { key: tokens.Ben, headers: { 'if-match': '"7"' } })).status,
    ).toBe(412);
    expect((await call(app, 'DELETE', replyPath, { key: tokens.Ben })).status).toBe(204);
    expect((await call(app, 'GET', path, { key: tokens.Ada })).json.replies).toEqual([]);
    expect((await call(app, 'DELETE', path, { key: tokens.Ada })).status).toBe(204);
    expect((await call(app, 'GET', path, { key: tokens.Ada })).status).toBe(404);
    expect((await events(key, 'post.deleted')).map((e) => e.data.postId)).toEqual([created.json.id]);
    expect((await events(key, 'post.updated'))[0]!.data.changed).toEqual(['title', 'url', 'tags']);
  });

  test('admins hide posts and replies with a reason: gone for participants, kept for admins', async () => {
    const { key, tokens, posts } = await community();
    const keyId = (await call(app, 'GET', '/v1/api-keys', { key })).json.items[0].id;
    const kept = await call(app, 'POST', posts, { key: tokens.Ben, body: { title: 'Fine', text: 'ok' } });
    const bad = await call(app, 'POST', posts, {
      key: tokens.Ada,
      body: { title: 'Oops', text: 'private details' },
    });
    const path = `${posts}/${bad.json.id}`;
    const reply = await call(app, 'POST', `${posts}/${kept.json.id}/replies`, {
      key: tokens.Ada,
      body: { text: 'rude words' },
    });
    const goodReply = await call(app, 'POST', `${posts}/${kept.json.id}/replies`, {
      key: tokens.Ben,
      body: { text: 'kind words' },
    });

    const hidden = await call(app, 'POST', `${path}/hide`, {
      key,
      body: { reason: 'Shares a colleague’s personal details' },
    });
    expect(hidden.status).toBe(200);
    expect(hidden.json.moderation).toEqual({
      hiddenAt: expect.any(String),
      hiddenBy: keyId,
      reason: 'Shares a colleague’s personal details',
    });
    expect((await call(app, 'POST', `${path}/hide`, { key, body: { reason: 'again' } })).status).toBe(409);
    const hiddenReply = await call(app, 'POST', `${posts}/${kept.json.id}/replies/${reply.json.id}/hide`, {
      key,
      body: { reason: 'Insulting' },
    });
    expect(hiddenReply.status).toBe(200);
    expect(hiddenReply.json.moderation.reason).toBe('Insulting');

    for (const who of [tokens.Ada, tokens.Ben]) {
      const listed = await call(app, 'GET', posts, { key: who });
      expect(listed.json.items.map((p: { id: string }) => p.id)).toEqual([kept.json.id]);
      expect((await call(app, 'GET', path, { key: who })).status).toBe(404);
      expect((await call(app, 'POST', `${path}/replies`, { key: who, body: { text: 'hm' } })).status).toBe(
        404,
      );
      const thread = await call(app, 'GET', `${posts}/${kept.json.id}`, { key: who });
      expect(thread.json.replies.map((r: { id: string }) => r.id)).toEqual([goodReply.json.id]);
    }
    // Its author cannot edit or delete it away either.
    expect((await call(app, 'PATCH', path, { key: tokens.Ada, body: { text: 'edited' } })).status).toBe(404);
    expect((await call(app, 'DELETE', path, { key: tokens.Ada })).status).toBe(404);
    expect(
      (await call(app, 'DELETE', `${posts}/${kept.json.id}/replies/${reply.json.id}`, { key: tokens.Ada }))
        .status,
    ).toBe(404);

    const adminList = await call(app, 'GET', posts, { key });
    expect(adminList.json.items.map((p: { id: string }) => p.id)).toEqual([bad.json.id, kept.json.id]);
    expect(adminList.json.items[0].moderation.reason).toBe('Shares a colleague’s personal details');
    const adminThread = await call(app, 'GET', `${posts}/${kept.json.id}`, { key });
    expect(adminThread.json.replies.map((r: { id: string }) => r.id)).toEqual([
      reply.json.id,
      goodReply.json.id,
    ]);
    expect(adminThread.json.replies[0].moderation.reason).toBe('Insulting');
    expect((await call(app, 'POST', `${path}/replies`, { key, body: { text: 'hm' } })).status).toBe(409);

    const hiddenEvents = await events(key, 'post.hidden');
    expect(hiddenEvents.map((e) => e.data)).toEqual([
      { postId: bad.json.id, programId: bad.json.programId },
      { postId: kept.json.id, programId: kept.json.programId, replyId: reply.json.id },
    ]);

    const shown = await call(app, 'POST', `${path}/unhide`, { key });
    expect(shown.status).toBe(200);
    expect(shown.json.moderation).toBeUndefined();
    expect((await call(app, 'POST', `${path}/unhide`, { key })).status).toBe(409);
    expect((await call(app, 'GET', path, { key: tokens.Ben })).status).toBe(200);
    // Participants cannot moderate.
    expect((await call(app, 'POST', `${path}/hide`, { key: tokens.Ben, body: { reason: 'x' } })).status).toBe(
      403,
    );
  });

  test('a participant outside the program reaches nothing of its community: every route is 404', async () => {
    const { key, tokens, posts, programB } = await community();
    const created = await call(app, 'POST', posts, {
      key: tokens.Ada,
      body: { title: 'Ours', text: 'hello' },
    });
    const reply = await call(app, 'POST', `${posts}/${created.json.id}/replies`, {
      key: tokens.Ben,
      body: { text: 'hi' },
    });
    const path = `${posts}/${created.json.id}`;
    const replyPath = `${path}/replies/${reply.json.id}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', posts],
      ['POST', posts, { title: 'Sneak', text: 'in' }],
      ['GET', path],
      ['PATCH', path, { title: 'Taken' }],
      ['DELETE', path],
      ['POST', `${path}/replies`, { text: 'sneaky' }],
      ['DELETE', replyPath],
    ];
    // Cy is in another program; Di in none; Eve withdrew from this one.
    for (const who of ['Cy', 'Di', 'Eve'])
      for (const [method, target, body] of attempts) {
        const res = await call(app, method, target, { key: tokens[who], body });
        expect({ who, method, target, status: res.status }, res.text).toEqual({
          who,
          method,
          target,
          status: 404,
        });
        expect(res.text).not.toContain('hello');
      }
    // Moderation is for API keys only: any participant is refused the same way, whatever the ids.
    for (const suffix of ['/hide', '/unhide'])
      for (const target of [path, replyPath])
        expect(
          (await call(app, 'POST', `${target}${suffix}`, { key: tokens.Cy, body: { reason: 'x' } })).status,
        ).toBe(403);
    // Program B's community is Cy's, not Ada's.
    expect((await call(app, 'GET', `/v1/programs/${programB}/posts`, { key: tokens.Ada })).status).toBe(404);
    expect((await call(app, 'GET', `/v1/programs/${programB}/posts`, { key: tokens.Cy })).status).toBe(200);
    // Nothing was written by the refused attempts.
    const after = await call(app, 'GET', path, { key });
    expect(after.json).toMatchObject({ title: 'Ours', version: 1 });
    expect(after.json.replies).toHaveLength(1);
    expect((await call(app, 'GET', posts, { key })).json.items).toHaveLength(1);
  });
});
