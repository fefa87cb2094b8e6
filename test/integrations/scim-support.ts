import { call, newTenant, testApp } from '../support/app.ts';

export const app = testApp();

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

let counter = 0;
/** A userName no other test uses (the table is shared; tenants are not). */
export const uniqueUserName = (name = 'user') => `${name}.${Date.now()}.${++counter}@example.com`;

/** A fresh organization with a SCIM token, and a caller that speaks SCIM with it. */
/** A tenant with a SCIM token, on the shared app or on `on`. */
export async function scimTenant(on: ReturnType<typeof testApp> = app) {
  const { key, tenantId } = await newTenant(on);
  const issued = await call(on, 'POST', '/v1/scim-token', {
    key,
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  if (issued.status !== 201) throw new Error(`SCIM token: ${issued.status} ${issued.text}`);
  const token = issued.json.secret as string;
  const scim = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(on, method, `/scim/v2${path}`, {
      key: token,
      ...(body !== undefined
        ? { body, headers: { 'content-type': 'application/scim+json', ...headers } }
        : { headers }),
    });
  return { key, tenantId, token, scim };
}

/** An Okta-style User (what Okta's "Push new users" sends). */
export const oktaUser = (userName = uniqueUserName('okta'), overrides: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Ada Lovelace',
  locale: 'en-US',
  externalId: `00u${++counter}${Date.now()}`,
  groups: [],
  active: true,
  ...overrides,
});

export { call };
