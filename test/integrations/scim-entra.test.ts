import { describe, expect, test } from 'vitest';
import {
  app,
  call,
  ENTERPRISE,
  GROUP,
  LIST,
  PATCH_OP,
  scimTenant,
  USER,
  uniqueUserName,
} from './scim-support.ts';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** What Entra's provisioning service sends for a new user (its attribute mapping's defaults). */
const entraUser = (userName = uniqueUserName('entra'), overrides: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE],
  externalId: `aad-${userName}`,
  userName,
  active: true,
  displayName: 'Zaid Gale',
  emails: [{ primary: true, type: 'work', value: userName }],
  name: { formatted: 'Zaid Gale', familyName: 'Gale', givenName: 'Zaid' },
  title: 'Engineer',
  [ENTERPRISE]: { department: 'Research', employeeNumber: 'E-100' },
  ...overrides,
});

const filterPath = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;

/**
 * The request sequences of Microsoft Entra ID's provisioning service and its SCIM validator,
 * in both PATCH dialects: the default (legacy) one and the RFC one behind `?aadOptscim062020`.
 */
describe('Microsoft Entra ID', () => {
  test('test connection, then the validator’s user cycle in the legacy PATCH dialect', async () => {
    const { scim, key } = await scimTenant();
    // Test connection: a random userName must answer an empty ListResponse, not 404.
    const probe = await scim('GET', filterPath(`userName eq "${crypto.randomUUID()}"`));
    expect(probe.status).toBe(200);
    expect(probe.json).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });

    // Match before create: by externalId, then create.
    const body = entraUser();
    expect((await scim('GET', filterPath(`externalId eq "${body.externalId}"`))).json.totalResults).toBe(0);
    const created = await scim('POST', '/Users', body);
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json[ENTERPRISE]).toEqual({ department: 'Research', employeeNumber: 'E-100' });
    for (const filter of [
      `userName eq "${body.userName}"`,
      `externalId eq "${body.externalId}"`,
      `emails[type eq "work"].value eq "${body.userName}"`,
      `userName eq "${body.userName}" and externalId eq "${body.externalId}"`,
    ])
      expect(
        (await scim('GET', filterPath(filter))).json.Resources.map((u: any) => u.id),
        filter,
      ).toEqual([id]);
    // Two terms that name different users (or nobody) match nobody.
    expect(
      (await scim('GET', filterPath(`userName eq "${body.userName}" and externalId eq "other"`))).json
        .totalResults,
    ).toBe(0);

    // Legacy PATCHes: capitalized ops, one op per attribute, URN-qualified paths.
    const replaced = await scim(
      'PATCH',
      `/Users/${id}`,
      patch(
        { op: 'Replace', path: 'displayName', value: 'Zaid G. Gale' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'E-200' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Platform' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: `new.${body.userName}` },
        { op: 'Add', path: 'nickName', value: 'Zed' },
      ),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({
      displayName: 'Zaid G. Gale',
      nickName: 'Zed',
      emails: [{ type: 'work', value: `new.${body.userName}` }],
      [ENTERPRISE]: { employeeNumber: 'E-200', department: 'Platform' },
    });
    // The person follows: name, email and department are what matching reads.
    const person = await scimPerson(key, id);
    expect(person).toMatchObject({
      name: 'Zaid G. Gale',
      email: `new.${body.userName}`,
      department: 'Platform',
    });
    expect(person.externalIds).toEqual({ scim: body.externalId });

    // Disable with a string "False"; a GET + filter on the disabled user still shows `active`.
    const disabled = await scim(
      'PATCH',
      `/Users/${id}`,
      patch({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(disabled.status).toBe(200);
    expect(disabled.json.active).toBe(false);
    const found = await scim('GET', filterPath(`userName eq "${body.userName}"`));
    expect(found.json.Resources[0].active).toBe(false);
    expect((await scimPerson(key, id)).status).toBe('left');

    // Entra hard-deletes later.
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
  });

  test('the aadOptscim062020 dialect: path-less replace with dotted keys, boolean active, members[value eq]', async () => {
    const { scim, key } = await scimTenant();
    const manager = (await scim('POST', '/Users', entraUser())).json.id as string;
    const body = entraUser();
    const id = (await scim('POST', '/Users', body)).json.id as string;

    const replaced = await scim(
      'PATCH',
      `/Users/${id}?aadOptscim062020`,
      patch({
        op: 'replace',
        value: {
          displayName: 'Zaid Gale-Okafor',
          'name.givenName': 'Zaid',
          'name.familyName': 'Gale-Okafor',
          [`${ENTERPRISE}:employeeNumber`]: 'E-300',
          [`${ENTERPRISE}:manager`]: manager,
        },
      }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({
      displayName: 'Zaid Gale-Okafor',
      name: { givenName: 'Zaid', familyName: 'Gale-Okafor', formatted: 'Zaid Gale' },
      // Entra's bare-string manager comes back in the RFC's { value } form.
      [ENTERPRISE]: { employeeNumber: 'E-300', department: 'Research', manager: { value: manager } },
    });
    // The dotted key is a path, not an attribute of its own.
    expect(Object.keys(replaced.json)).not.toContain('name.givenName');
    expect((await scimPerson(key, id)).managerId).toBe(manager);

    // The RFC form of manager too, and a manager that is nobody here stays in SCIM only.
    const rfcManager = await scim(
      'PATCH',
      `/Users/${id}`,
      patch({ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 'someone-elsewhere' } }),
    );
    expect(rfcManager.json[ENTERPRISE].manager).toEqual({ value: 'someone-elsewhere' });
    expect((await scimPerson(key, id)).managerId).toBeUndefined();

    const disabled = await scim(
      'PATCH',
      `/Users/${id}`,
      patch({ op: 'replace', path: 'active', value: false }),
    );
    expect(disabled.json.active).toBe(false);
  });

  test('groups: create with Microsoft’s extra schema, filter without members, add and remove members both ways', async () => {
    const { scim } = await scimTenant();
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(async () => (await scim('POST', '/Users', entraUser())).json.id as string),
    );
    const name = `Mentors ${crypto.randomUUID()}`;
    const created = await scim('POST', '/Groups', {
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: 'aad-group-1',
      displayName: name,
      members: [],
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({ schemas: [GROUP], displayName: name, members: [] });

    const found = await scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${name}"`)}`,
    );
    expect(found.status).toBe(200);
    expect(found.json.totalResults).toBe(1);
    expect(found.json.Resources[0]).not.toHaveProperty('members');

    const added = await scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'Add', path: 'members', value: [{ value: a }, { value: b }, { value: c }] }),
    );
    expect(added.status).toBe(204);
    expect(added.headers.get('etag')).toBe('W/"2"');
    // Legacy removal: a value array.
    expect(
      (await scim('PATCH', `/Groups/${id}`, patch({ op: 'Remove', path: 'members', value: [{ value: a }] })))
        .status,
    ).toBe(204);
    // RFC removal: a value filter in the path.
    expect(
      (await scim('PATCH', `/Groups/${id}`, patch({ op: 'remove', path: `members[value eq "${b}"]` })))
        .status,
    ).toBe(204);
    const group = await scim('GET', `/Groups/${id}`);
    expect(group.json.members.map((m: any) => m.value)).toEqual([c]);

    // A member who is not a provisioned user of this organization is refused, and nothing changes.
    const stranger = await scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'add', path: 'members', value: [{ value: 'per_01jd5x3n7a8q9w0e1r2t3y4z5v' }] }),
    );
    expect(stranger.status).toBe(400);
    expect(stranger.json.scimType).toBe('invalidValue');
    expect((await scim('GET', `/Groups/${id}`)).json.meta.version).toBe('W/"4"');

    const renamed = await scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'Replace', path: 'displayName', value: `${name} 2` }),
    );
    expect(renamed.status).toBe(204);
    expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await scim('GET', `/Groups/${id}`)).status).toBe(404);
  });
});

async function scimPerson(key: string, id: string) {
  const res = await call(app, 'GET', `/v1/people/${id}`, { key });
  expect(res.status).toBe(200);
  return res.json;
}
