import { describe, expect, test } from 'vitest';
import { testApp, uniqueEmail } from '../support/app.ts';
import { watchedDb } from '../support/watched-db.ts';
import {
  app,
  call,
  ENTERPRISE,
  ERROR,
  oktaUser,
  PATCH_OP,
  scimTenant,
  uniqueUserName,
} from './scim-support.ts';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const filterPath = (filter: string, rest = '') => `/Users?filter=${encodeURIComponent(filter)}${rest}`;

describe('SCIM filters', () => {
  test('anything beyond eq/and on userName, externalId and the work email is 400 invalidFilter', async () => {
    const { scim } = await scimTenant();
    for (const filter of [
      'userName co "ada"',
      'userName eq "a" or userName eq "b"',
      'displayName eq "Ada"',
      'emails.value eq "a@example.com"',
      'not (userName eq "a")',
      'userName eq',
      'userName eq "unterminated',
    ]) {
      const res = await scim('GET', filterPath(filter));
      expect(res.status, filter).toBe(400);
      expect(res.json, filter).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
    }
  });

  test('a work email filter does not match a person whose email is not a work email', async () => {
    const { scim } = await scimTenant();
    const userName = uniqueUserName('home');
    await scim(
      'POST',
      '/Users',
      oktaUser(userName, { emails: [{ value: userName, type: 'home', primary: true }] }),
    );
    const res = await scim('GET', filterPath(`emails[type eq "work"].value eq "${userName}"`));
    expect(res.json.totalResults).toBe(0);
    expect((await scim('GET', filterPath(`userName eq "${userName}"`))).json.totalResults).toBe(1);
  });
});

describe('SCIM pagination', () => {
  test('startIndex below 1 and negative counts are clamped; count=0 gives the total only; past the end is empty', async () => {
    const { scim } = await scimTenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await scim('POST', '/Users', oktaUser())).json.id);
    const all = await scim('GET', '/Users');
    expect(all.json).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    expect(all.json.Resources.map((u: any) => u.id)).toEqual([...ids].sort());

    const clamped = await scim('GET', '/Users?startIndex=0&count=2');
    expect(clamped.json).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 1 });
    const second = await scim('GET', '/Users?startIndex=3&count=2');
    expect(second.json.Resources.map((u: any) => u.id)).toEqual([...ids].sort().slice(2, 4));
    const none = await scim('GET', '/Users?count=-1');
    expect(none.json).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const zero = await scim('GET', '/Users?count=0');
    expect(zero.json).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const past = await scim('GET', '/Users?startIndex=6&count=10');
    expect(past.json).toMatchObject({ totalResults: 5, itemsPerPage: 0, startIndex: 6, Resources: [] });
    expect((await scim('GET', '/Users?count=many')).status).toBe(400);
  });
});

describe('SCIM pagination at scale', () => {
  test('a sync paging in order reads each user once, not the collection per page; a write starts over', async () => {
    // What each query scans.
    let scanned = 0;
    const db = watchedDb((_command, answer) => {
      scanned += answer.ScannedCount ?? 0;
    });
    const { scim } = await scimTenant(testApp({ db }));
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await scim('POST', '/Users', oktaUser())).json.id);

    const first = await scim('GET', '/Users?startIndex=1&count=2');
    expect(first.json).toMatchObject({ totalResults: 7, itemsPerPage: 2 });
    const pages = [first.json.Resources];
    scanned = 0;
    for (const startIndex of [3, 5, 7]) {
      const page = await scim('GET', `/Users?startIndex=${startIndex}&count=2`);
      expect(page.json).toMatchObject({ totalResults: 7, startIndex });
      pages.push(page.json.Resources);
    }
    // Each later page reads its own two users (the last one, one): no count, nothing read past.
    expect(scanned).toBeLessThanOrEqual(2 + 2 + 1);
    expect(pages.flat().map((u: any) => u.id)).toEqual([...ids].sort());

    // A user written since: the next page counts again and reads from the start.
    await scim('GET', '/Users?startIndex=1&count=2');
    ids.push((await scim('POST', '/Users', oktaUser())).json.id);
    const after = await scim('GET', '/Users?startIndex=3&count=2');
    expect(after.json.totalResults).toBe(8);
    expect(after.json.Resources.map((u: any) => u.id)).toEqual([...ids].sort().slice(2, 4));
  });
});

describe('SCIM versions', () => {
  test('ETag W/"n" is meta.version; a stale If-Match is 412 on PUT, PATCH and DELETE, and changes nothing', async () => {
    const { scim } = await scimTenant();
    const body = oktaUser();
    const id = (await scim('POST', '/Users', body)).json.id;
    await scim('PUT', `/Users/${id}`, { ...body, title: 'v2' });
    await scim('PUT', `/Users/${id}`, { ...body, title: 'v3' });
    const read = await scim('GET', `/Users/${id}`);
    expect(read.headers.get('etag')).toBe('W/"3"');
    expect(read.json.meta.version).toBe('W/"3"');
    expect((await scim('GET', `/Users/${id}`, undefined, { 'if-none-match': 'W/"3"' })).status).toBe(304);

    const stale = { 'if-match': 'W/"2"' };
    const put = await scim('PUT', `/Users/${id}`, { ...body, title: 'lost' }, stale);
    expect(put.status).toBe(412);
    expect(put.json).toMatchObject({ schemas: [ERROR], status: '412' });
    expect(
      (await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'lost' }), stale))
        .status,
    ).toBe(412);
    expect((await scim('DELETE', `/Users/${id}`, undefined, stale)).status).toBe(412);
    expect((await scim('GET', `/Users/${id}`)).json).toMatchObject({
      title: 'v3',
      meta: { version: 'W/"3"' },
    });

    const current = await scim(
      'PATCH',
      `/Users/${id}`,
      patch({ op: 'replace', path: 'title', value: 'v4' }),
      {
        'if-match': 'W/"3"',
      },
    );
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('W/"4"');
  });

  test('two writers with the same If-Match: one wins, the other gets 412', async () => {
    const { scim } = await scimTenant();
    const body = oktaUser();
    const id = (await scim('POST', '/Users', body)).json.id;
    const ifMatch = { 'if-match': 'W/"1"' };
    const results = await Promise.all([
      scim('PUT', `/Users/${id}`, { ...body, title: 'put' }, ifMatch),
      scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'patch' }), ifMatch),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200)!;
    expect((await scim('GET', `/Users/${id}`)).json.title).toBe(winner.json.title);
  });
});

describe('SCIM PATCH refusals', () => {
  test('empty Operations is invalidSyntax, a read-only id is mutability, a bad value rolls back every operation', async () => {
    const { scim } = await scimTenant();
    const body = oktaUser();
    const id = (await scim('POST', '/Users', body)).json.id;
    const empty = await scim('PATCH', `/Users/${id}`, patch());
    expect(empty.status).toBe(400);
    expect(empty.json.scimType).toBe('invalidSyntax');
    const readOnly = await scim(
      'PATCH',
      `/Users/${id}`,
      patch({ op: 'replace', path: 'id', value: 'per_x' }),
    );
    expect(readOnly.status).toBe(400);
    expect(readOnly.json.scimType).toBe('mutability');
    const atomic = await scim(
      'PATCH',
      `/Users/${id}`,
      patch(
        { op: 'replace', path: 'title', value: 'changed' },
        { op: 'replace', path: 'active', value: 'maybe' },
      ),
    );
    expect(atomic.status).toBe(400);
    expect(atomic.json.scimType).toBe('invalidValue');
    expect((await scim('GET', `/Users/${id}`)).json).toMatchObject({ meta: { version: 'W/"1"' } });
    expect((await scim('GET', `/Users/${id}`)).json).not.toHaveProperty('title');
    expect((await scim('PATCH', `/Users/${id}`, '{not json')).json.scimType).toBe('invalidSyntax');
  });
});

describe('SCIM tokens', () => {
  test('issued once, rotated (the old one stops at once), revoked; SCIM and API credentials stay apart', async () => {
    const { scim, token, key } = await scimTenant();
    expect(token).toMatch(/^tdm_scim_/);
    expect((await scim('GET', '/ServiceProviderConfig')).json).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      etag: { supported: true },
    });
    const record = await call(app, 'GET', '/v1/scim-token', { key });
    expect(record.json).toMatchObject({ status: 'active' });
    expect(record.json).not.toHaveProperty('secret');

    // An API key is not a SCIM token, and a SCIM token reaches nothing under /v1.
    const withApiKey = await call(app, 'GET', '/scim/v2/Users', { key });
    expect(withApiKey.status).toBe(403);
    expect(withApiKey.json.schemas).toEqual([ERROR]);
    expect((await call(app, 'GET', '/v1/people', { key: token })).status).toBe(403);
    expect((await call(app, 'GET', '/scim/v2/Users')).status).toBe(401);

    const rotated = await call(app, 'POST', '/v1/scim-token', {
      key,
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.json.replaces).toBe(record.json.id);
    expect((await call(app, 'GET', '/scim/v2/Users', { key: token })).status).toBe(401);
    expect((await call(app, 'GET', '/scim/v2/Users', { key: rotated.json.secret })).status).toBe(200);

    const revoked = await call(app, 'DELETE', '/v1/scim-token', { key });
    expect(revoked.json).toMatchObject({ status: 'revoked', id: rotated.json.id });
    const refused = await call(app, 'GET', '/scim/v2/Users', { key: rotated.json.secret });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ schemas: [ERROR], status: '401' });
    // Under /v1 a refused SCIM token is a 401 like any refused credential.
    expect((await call(app, 'GET', '/v1/people', { key: rotated.json.secret })).status).toBe(401);
  });

  test("another organization's users and groups are 404, and its users are not listed", async () => {
    const mine = await scimTenant();
    const theirs = await scimTenant();
    const body = oktaUser();
    const theirUser = (await theirs.scim('POST', '/Users', body)).json.id;
    const theirGroup = (
      await theirs.scim('POST', '/Groups', { displayName: 'Theirs', members: [{ value: theirUser }] })
    ).json.id;
    for (const [method, path, payload] of [
      ['GET', `/Users/${theirUser}`],
      ['PUT', `/Users/${theirUser}`, body],
      ['PATCH', `/Users/${theirUser}`, patch({ op: 'replace', path: 'active', value: false })],
      ['DELETE', `/Users/${theirUser}`],
      ['GET', `/Groups/${theirGroup}`],
      ['PATCH', `/Groups/${theirGroup}`, patch({ op: 'replace', path: 'displayName', value: 'Mine' })],
      ['DELETE', `/Groups/${theirGroup}`],
    ] as const) {
      const res = await mine.scim(method, path, payload);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await mine.scim('GET', filterPath(`userName eq "${body.userName}"`))).json.totalResults).toBe(0);
    expect((await mine.scim('GET', '/Users')).json.totalResults).toBe(0);
    // Their user is untouched.
    expect((await theirs.scim('GET', `/Users/${theirUser}`)).json).toMatchObject({
      active: true,
      meta: { version: 'W/"1"' },
    });
  });
});

describe('deprovisioning', () => {
  test('active=false makes the person a leaver: relationships dissolved (left_organization), enrollments withdrawn, history kept', async () => {
    const { scim, key } = await scimTenant();
    const program = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'Pairs', format: 'peer_pairs' },
    });
    const leaverBody = oktaUser();
    const leaver = (await scim('POST', '/Users', leaverBody)).json.id as string;
    const partner = (await scim('POST', '/Users', oktaUser())).json.id as string;
    for (const personId of [leaver, partner]) {
      const enrolled = await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
        key,
        body: { personId, role: 'peer' },
      });
      expect(enrolled.status).toBe(201);
    }
    const pair = await call(app, 'POST', '/v1/relationships', {
      key,
      body: { programId: program.json.id, personIds: [leaver, partner] },
    });
    expect(pair.status).toBe(201);

    const off = await scim('PATCH', `/Users/${leaver}`, patch({ op: 'replace', value: { active: false } }));
    expect(off.status).toBe(200);

    const relationship = await call(app, 'GET', `/v1/relationships/${pair.json.id}`, { key });
    expect(relationship.json).toMatchObject({ status: 'dissolved', endReason: 'left_organization' });
    const person = await call(app, 'GET', `/v1/people/${leaver}`, { key });
    expect(person.json.status).toBe('left');
    const enrollments = await call(app, 'GET', `/v1/programs/${program.json.id}/enrollments`, { key });
    const leaverEnrollments = enrollments.json.items.filter((e: any) => e.personId === leaver);
    expect(leaverEnrollments.map((e: any) => e.status)).toEqual(['withdrawn']);
    const partnerEnrollment = enrollments.json.items.find((e: any) => e.personId === partner);
    expect(partnerEnrollment.status).not.toBe('withdrawn');

    const events = await call(app, 'GET', '/v1/events?limit=100', { key });
    const types = events.json.items.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['person.updated', 'relationship.dissolved', 'enrollment.withdrawn']),
    );
    const dissolved = events.json.items.find((e: any) => e.type === 'relationship.dissolved');
    expect(dissolved.data).toMatchObject({ relationshipId: pair.json.id, reason: 'left_organization' });

    // Reactivation brings the person back; their ended relationship stays ended.
    const on = await scim(
      'PATCH',
      `/Users/${leaver}`,
      patch({ op: 'Replace', path: 'active', value: 'True' }),
    );
    expect(on.json.active).toBe(true);
    expect((await call(app, 'GET', `/v1/people/${leaver}`, { key })).json.status).toBe('active');
    expect((await call(app, 'GET', `/v1/relationships/${pair.json.id}`, { key })).json.status).toBe(
      'dissolved',
    );
  });

  test('DELETE ends the SCIM resource and keeps the person as a leaver; the same email provisioned again takes them back', async () => {
    const { scim, key } = await scimTenant();
    const body = oktaUser();
    const id = (await scim('POST', '/Users', body)).json.id as string;
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
    const person = await call(app, 'GET', `/v1/people/${id}`, { key });
    expect(person.json).toMatchObject({ status: 'left' });
    expect(person.json).not.toHaveProperty('externalIds');

    const again = await scim('POST', '/Users', body);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(id);
    expect((await call(app, 'GET', `/v1/people/${id}`, { key })).json).toMatchObject({
      status: 'active',
      externalIds: { scim: body.externalId },
    });
  });

  test('a person created through /v1/people is taken over by email; their own profile fields stay', async () => {
    const { scim, key } = await scimTenant();
    const email = uniqueEmail('existing');
    const existing = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: 'Existing', email, interests: ['chess'] },
    });
    const adopted = await scim(
      'POST',
      '/Users',
      oktaUser(email, { [ENTERPRISE]: { department: 'Legal' }, schemas: undefined }),
    );
    expect(adopted.status).toBe(201);
    expect(adopted.json.id).toBe(existing.json.id);
    const person = (await call(app, 'GET', `/v1/people/${existing.json.id}`, { key })).json;
    expect(person).toMatchObject({ name: 'Ada Lovelace', department: 'Legal', interests: ['chess'] });
    // Provisioning it twice is a conflict, not a second takeover.
    const twice = await scim(
      'POST',
      '/Users',
      oktaUser(uniqueUserName(), { emails: [{ value: email, type: 'work' }] }),
    );
    expect(twice.status).toBe(409);
    expect(twice.json.scimType).toBe('uniqueness');
  });
});

describe('discovery', () => {
  test('Schemas and ResourceTypes describe User with the enterprise extension, and Group', async () => {
    const { scim } = await scimTenant();
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.json.Resources.map((s: any) => s.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      ENTERPRISE,
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    const user = schemas.json.Resources[0];
    expect(user.attributes.find((a: any) => a.name === 'userName')).toMatchObject({
      required: true,
      caseExact: false,
      uniqueness: 'server',
    });
    expect((await scim('GET', `/Schemas/${ENTERPRISE}`)).json.attributes.map((a: any) => a.name)).toContain(
      'manager',
    );
    const types = await scim('GET', '/ResourceTypes');
    expect(types.json.Resources.find((t: any) => t.id === 'User').schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
    ]);
    const unknown = await scim('GET', '/Bulk');
    expect(unknown.status).toBe(404);
    expect(unknown.json.schemas).toEqual([ERROR]);
  });
});

describe('SCIM and the audit log', () => {
  test("what the identity provider changes is audited under its SCIM token, never with the token's secret", async () => {
    const { key, token, scim } = await scimTenant();
    const created = await scim('POST', '/Users', oktaUser());
    expect(created.status).toBe(201);
    const log = await call(app, 'GET', '/v1/audit-log?limit=100', { key });
    const entries = log.json.items.filter((e: any) => e.actor.kind === 'scim_token');
    expect(entries.map((e: any) => e.route)).toContain('POST /scim/v2/Users');
    expect(log.text).not.toContain(token);
  });
});
