import { describe, expect, test } from 'vitest';
import { app, call, ERROR, LIST, oktaUser, scimTenant, USER, uniqueUserName } from './scim-support.ts';

/**
 * Okta's SCIM 2.0 spec test (its Runscope suite), re-expressed step by step: each step's request
 * and the assertions Okta makes on the answer.
 */
describe('Okta SCIM 2.0 spec test sequence', () => {
  test('steps 1–12 in order', async () => {
    const { scim, token } = await scimTenant();
    // Okta's suite needs one user to exist before it starts.
    const seed = await scim('POST', '/Users', oktaUser());
    expect(seed.status).toBe(201);

    // 1. The first page of one user.
    const first = await scim('GET', '/Users?count=1&startIndex=1');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/scim+json');
    expect(first.json.schemas).toEqual([LIST]);
    for (const field of ['itemsPerPage', 'startIndex', 'totalResults'])
      expect(typeof first.json[field]).toBe('number');
    expect(first.json.Resources).toHaveLength(1);
    const [listed] = first.json.Resources;
    expect(listed).toMatchObject({ id: expect.any(String), userName: expect.any(String), active: true });
    expect(listed.name.familyName).toBe('Lovelace');
    expect(listed.name.givenName).toBe('Ada');
    expect(listed.emails[0].value).toEqual(expect.any(String));

    // 2. That user by id.
    const byId = await scim('GET', `/Users/${listed.id}`);
    expect(byId.status).toBe(200);
    expect(byId.json.id).toBe(listed.id);

    // 3. A userName nobody has: a ListResponse with nothing in it, not a 404.
    const nobody = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${uniqueUserName('nobody')}"`)}`,
    );
    expect(nobody.status).toBe(200);
    expect(nobody.json).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });

    // 4. An id nobody has.
    const missing = await scim('GET', '/Users/per_01jd5x3n7a8q9w0e1r2t3y4z5v');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ schemas: [ERROR], status: '404', detail: expect.any(String) });

    // 5. An email nobody has.
    const noEmail = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${uniqueUserName('none')}"`)}`,
    );
    expect(noEmail.status).toBe(200);
    expect(noEmail.json.totalResults).toBe(0);

    // 6. Create, with Content-Type application/json (not scim+json).
    const userName = uniqueUserName('spec');
    const body = oktaUser(userName, { name: { givenName: 'Grace', familyName: 'Hopper' } });
    const created = await call(app, 'POST', '/scim/v2/Users', { key: token, body });
    expect(created.status).toBe(201);
    expect(created.json.active).toBe(true);
    expect(created.json.name).toEqual({ givenName: 'Grace', familyName: 'Hopper' });
    expect(created.json.userName).toBe(userName);
    expect(created.json.schemas).toContain(USER);
    expect(created.headers.get('location')).toMatch(new RegExp(`/scim/v2/Users/${created.json.id}$`));
    expect(created.headers.get('etag')).toBe('W/"1"');

    // 7. Read it back.
    const readBack = await scim('GET', `/Users/${created.json.id}`);
    expect(readBack.status).toBe(200);
    expect(readBack.json).toEqual(created.json);

    // 8. The same user again: 409.
    const duplicate = await scim('POST', '/Users', body);
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });

    // 9. The userName in another case finds the user.
    const shouted = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`,
    );
    expect(shouted.status).toBe(200);
    expect(shouted.json.totalResults).toBe(1);
    expect(shouted.json.Resources[0].id).toBe(created.json.id);

    // 10. Groups answer.
    const groups = await scim('GET', '/Groups');
    expect(groups.status).toBe(200);
    expect(groups.json.schemas).toEqual([LIST]);

    // 11. A bad token: 401 with an Error body.
    const badToken = await call(app, 'GET', '/scim/v2/Users', { key: 'tdm_scim_not-a-real-token' });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('content-type')).toContain('application/scim+json');
    expect(badToken.json).toMatchObject({ schemas: [ERROR], status: '401', detail: expect.any(String) });

    // 12. Okta's fixed unknown id.
    const unknown = await scim('GET', '/Users/00919288221112222');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ schemas: [ERROR], status: '404', detail: expect.any(String) });
  });

  test('the CRUD suite: create, update the first name with PUT, deactivate, reactivate', async () => {
    const { scim } = await scimTenant();
    const body = oktaUser();
    const created = await scim('POST', '/Users', body);
    const id = created.json.id;

    // Okta's AIW apps update profiles with PUT, without `active`: the user stays active.
    const { active: _active, ...withoutActive } = body;
    const renamed = await scim('PUT', `/Users/${id}`, {
      ...withoutActive,
      name: { givenName: 'Augusta', familyName: 'Lovelace' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: { givenName: 'Augusta' }, active: true });
    expect(renamed.headers.get('etag')).toBe('W/"2"');

    // Deactivation without a path (Okta's OIN template apps).
    const deactivated = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.json.active).toBe(false);

    // A PUT without `active` keeps the user deactivated; with active: true it comes back.
    const stillOff = await scim('PUT', `/Users/${id}`, withoutActive);
    expect(stillOff.json.active).toBe(false);
    const back = await scim('PUT', `/Users/${id}`, { ...body, active: true });
    expect(back.status).toBe(200);
    expect(back.json.active).toBe(true);
    // Unassigning in Okta deactivates, never deletes.
    const unassigned = await scim('PUT', `/Users/${id}`, { ...body, active: false });
    expect(unassigned.json.active).toBe(false);
  });
});
