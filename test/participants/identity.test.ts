import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, loopbackDns, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { type TestIssuer, testIssuer } from '../support/issuer.ts';
import { participantToken } from '../support/participants.ts';

/** Short enough to watch a key rotation be picked up; long enough that a burst stays inside it. */
const COOLDOWN_MS = 1_500;
const app = testApp({ jwksCooldownMs: COOLDOWN_MS });

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await testIssuer({ path: '/oauth2/default' });
});
afterAll(() => issuer.close());

const now = () => Math.floor(Date.now() / 1000);

/** A tenant trusting `idp` for `audience`, with one active person. */
async function organization(idp: TestIssuer, provider: Record<string, unknown> = {}) {
  const tenant = await newTenant(app, 'Identity Org');
  const audience = `api://tandem/${tenant.tenantId}`;
  const created = await call(app, 'POST', '/v1/identity-providers', {
    key: tenant.key,
    body: { issuer: idp.issuer, audience, jwksUri: idp.jwksUri, ...provider },
  });
  expect(created.status, created.text).toBe(201);
  const email = uniqueEmail('dana');
  const person = await call(app, 'POST', '/v1/people', {
    key: tenant.key,
    body: { name: 'Dana Okafor', email, externalIds: { okta: `00u${Date.now()}${Math.random()}` } },
  });
  expect(person.status).toBe(201);
  return { ...tenant, audience, email, person: person.json, provider: created.json };
}

const me = (token: string) => call(app, 'GET', '/v1/me', { key: token });

describe('participants sign in with their organization’s tokens', () => {
  test('a valid token names an active person by email (case-insensitive): GET /v1/me is theirs', async () => {
    const org = await organization(issuer);
    const token = await issuer.sign({ aud: org.audience, sub: 'abc', email: org.email.toUpperCase() });
    const res = await me(token);
    expect(res.status, res.text).toBe(200);
    expect(res.json.person).toMatchObject({ id: org.person.id, email: org.email });
    expect(res.json).toMatchObject({ enrollments: [], relationships: [] });
    expect(res.headers.get('etag')).toBe('"1"');
    // The admin routes stay the API keys'.
    expect((await call(app, 'GET', '/v1/people', { key: token })).status).toBe(403);
  });

  test('expired, not yet valid, wrong audience, wrong issuer: 401', async () => {
    const org = await organization(issuer);
    const base = { aud: org.audience, email: org.email };
    expect((await me(await issuer.sign(base))).status).toBe(200);
    for (const [label, claims] of [
      ['expired', { ...base, exp: now() - 3600 }],
      ['not yet valid', { ...base, nbf: now() + 3600 }],
      ['wrong audience', { ...base, aud: 'api://someone-else' }],
      ['wrong issuer', { ...base, iss: `${issuer.issuer}/other` }],
      ['no exp', { ...base, exp: undefined }],
    ] as const) {
      const res = await me(await issuer.sign(claims));
      expect(res.status, label).toBe(401);
      expect(res.headers.get('content-type'), label).toBe('application/problem+json');
    }
  });

  test('alg none, HS256 signed with the public key, and a key the JWKS never published: 401', async () => {
    const org = await organization(issuer);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: issuer.issuer, aud: org.audience, email: org.email, exp: now() + 3600 };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expect((await me(none)).status).toBe(401);

    // The classic confusion attack: the RSA public key's bytes used as an HMAC secret.
    const { createHmac } = await import('node:crypto');
    const jwk = issuer.publicJwk();
    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: jwk.kid })}.${b64(claims)}`;
    for (const secret of [JSON.stringify(jwk), jwk.n!]) {
      const hs256 = `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
      expect((await me(hs256)).status).toBe(401);
    }

    const forged = await issuer.sign(claims, { key: await issuer.unpublishedKey(), kid: jwk.kid });
    expect((await me(forged)).status).toBe(401);
    expect((await me('not.a.jwt')).status).toBe(401);
  });

  test('a key rotation is picked up by refetching the JWKS once on the unknown kid', async () => {
    const idp = await testIssuer();
    try {
      const org = await organization(idp);
      const claims = { aud: org.audience, email: org.email };
      expect((await me(await idp.sign(claims))).status).toBe(200);
      const fetched = idp.hits.jwks;
      const next = await idp.rotate('ES256');
      // Past the cooldown, the unknown kid makes the authorizer fetch the keys again, once.
      await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
      const rotated = await me(await idp.sign(claims, { key: next }));
      expect(rotated.status, rotated.text).toBe(200);
      expect(idp.hits.jwks).toBe(fetched + 1);
    } finally {
      await idp.close();
    }
  });

  test('a kid that stays unknown fails without hammering the JWKS', async () => {
    const idp = await testIssuer();
    try {
      const org = await organization(idp);
      const claims = { aud: org.audience, email: org.email };
      expect((await me(await idp.sign(claims))).status).toBe(200);
      const fetched = idp.hits.jwks;
      const stranger = await idp.unpublishedKey();
      const answers = await Promise.all(
        Array.from(
          { length: 20 },
          async (_, i) => (await me(await idp.sign({ ...claims, jti: `t${i}` }, { key: stranger }))).status,
        ),
      );
      expect(answers.every((status) => status === 401)).toBe(true);
      // At most the one refetch the cooldown allows, for twenty tokens.
      expect(idp.hits.jwks - fetched).toBeLessThanOrEqual(1);
    } finally {
      await idp.close();
    }
  });

  test('without jwksUri the keys are found through OIDC discovery', async () => {
    const idp = await testIssuer({ path: '/realms/acme' });
    try {
      const tenant = await newTenant(app, 'Discovery Org');
      const audience = `api://tandem/${tenant.tenantId}`;
      const created = await call(app, 'POST', '/v1/identity-providers', {
        key: tenant.key,
        body: { issuer: idp.issuer, audience },
      });
      expect(created.status).toBe(201);
      expect(created.json.jwksUri).toBeUndefined();
      const email = uniqueEmail();
      await call(app, 'POST', '/v1/people', { key: tenant.key, body: { name: 'Di', email } });
      expect((await me(await idp.sign({ aud: audience, email }))).status).toBe(200);
      expect(idp.hits.discovery).toBe(1);
    } finally {
      await idp.close();
    }
  });

  test('an inactive or departed person, or nobody at all: 403 with a clear problem', async () => {
    const org = await organization(issuer);
    const token = await issuer.sign({ aud: org.audience, email: org.email });
    expect((await me(token)).status).toBe(200);

    const left = await call(app, 'PATCH', `/v1/people/${org.person.id}`, {
      key: org.key,
      body: { status: 'left' },
    });
    expect(left.status).toBe(200);
    const refused = await me(token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.json.detail).toContain('is left in the organization');
    expect(refused.json.detail).toContain(org.email);

    await call(app, 'PATCH', `/v1/people/${org.person.id}`, { key: org.key, body: { status: 'inactive' } });
    expect((await me(token)).json.detail).toContain('is inactive');

    const stranger = uniqueEmail('nobody');
    const nobody = await me(await issuer.sign({ aud: org.audience, email: stranger }));
    expect(nobody.status).toBe(403);
    expect(nobody.json.detail).toContain(`no person of the organization has the email ${stranger}`);
    // Once added, the same token works (the unmapped verdict is not kept past the change).
    await call(app, 'POST', '/v1/people', { key: org.key, body: { name: 'New', email: stranger } });
    expect((await me(await issuer.sign({ aud: org.audience, email: stranger }))).status).toBe(200);

    const unverified = await me(
      await issuer.sign({ aud: org.audience, email: stranger, email_verified: false }),
    );
    expect(unverified.status).toBe(403);
    expect(unverified.json.detail).toContain('email_verified');
  });

  test('a token mapped by an external id (sub → externalIds.okta)', async () => {
    const org = await organization(issuer, { personClaim: 'sub', externalIdSystem: 'okta' });
    const sub = org.person.externalIds.okta as string;
    const res = await me(await issuer.sign({ aud: org.audience, sub, email: 'ignored@example.com' }));
    expect(res.status, res.text).toBe(200);
    expect(res.json.person.id).toBe(org.person.id);

    // A changed id moves its lookup: the old one names nobody, the new one the same person.
    await call(app, 'PATCH', `/v1/people/${org.person.id}`, {
      key: org.key,
      body: { externalIds: { okta: `${sub}-new` } },
    });
    expect((await me(await issuer.sign({ aud: org.audience, sub }))).status).toBe(403);
    expect((await me(await issuer.sign({ aud: org.audience, sub: `${sub}-new` }))).json.person.id).toBe(
      org.person.id,
    );
  });

  test('external ids are unique per organization and system: 409 naming the field', async () => {
    const org = await organization(issuer);
    const taken = org.person.externalIds.okta as string;
    const clash = await call(app, 'POST', '/v1/people', {
      key: org.key,
      body: { name: 'Clash', email: uniqueEmail(), externalIds: { okta: taken } },
    });
    expect(clash.status).toBe(409);
    expect(clash.json.errors).toEqual([expect.objectContaining({ field: '/externalIds/okta' })]);
    const other = await call(app, 'POST', '/v1/people', {
      key: org.key,
      body: { name: 'Other', email: uniqueEmail(), externalIds: { workday: taken } },
    });
    expect(other.status).toBe(201);
    const patched = await call(app, 'PATCH', `/v1/people/${other.json.id}`, {
      key: org.key,
      body: { externalIds: { okta: taken } },
    });
    expect(patched.status).toBe(409);
    expect(patched.json.errors[0].field).toBe('/externalIds/okta');
    // Another organization may use the same id.
    const elsewhere = await newTenant(app);
    const free = await call(app, 'POST', '/v1/people', {
      key: elsewhere.key,
      body: { name: 'Same id', email: uniqueEmail(), externalIds: { okta: taken } },
    });
    expect(free.status).toBe(201);
  });

  test("tenant B's token reaches only B's own person, never A's data", async () => {
    const a = await organization(issuer);
    const b = await organization(issuer);
    const tokenB = await issuer.sign({ aud: b.audience, email: b.email });
    const res = await me(tokenB);
    expect(res.json.person.id).toBe(b.person.id);
    // A's person id and A's audience get nothing from B's token.
    const program = await call(app, 'POST', '/v1/programs', {
      key: a.key,
      body: { name: 'A only', format: 'peer_pairs', selfEnrollment: true },
    });
    await call(app, 'POST', `/v1/programs/${program.json.id}/transitions`, {
      key: a.key,
      body: { to: 'enrolling' },
    });
    const crossed = await call(app, 'POST', '/v1/me/enrollments', {
      key: tokenB,
      body: { programId: program.json.id, role: 'peer' },
    });
    expect(crossed.status).toBe(404);
    // B's person's email presented with A's audience: A has no such person.
    const wrongOrg = await me(await issuer.sign({ aud: a.audience, email: b.email }));
    expect(wrongOrg.status).toBe(403);
    // A's email with B's audience: B has no such person either.
    expect((await me(await issuer.sign({ aud: b.audience, email: a.email }))).status).toBe(403);
  });

  test('deleting the provider stops its tokens; PATCH changes what is checked', async () => {
    const org = await organization(issuer);
    const token = await issuer.sign({ aud: org.audience, email: org.email });
    expect((await me(token)).status).toBe(200);
    const moved = await call(app, 'PATCH', `/v1/identity-providers/${org.provider.id}`, {
      key: org.key,
      body: { audience: `${org.audience}/v2` },
      headers: { 'if-match': '"1"' },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.version).toBe(2);
    expect((await me(token)).status).toBe(401);
    const v2 = await issuer.sign({ aud: `${org.audience}/v2`, email: org.email });
    expect((await me(v2)).status).toBe(200);
    const deleted = await call(app, 'DELETE', `/v1/identity-providers/${org.provider.id}`, { key: org.key });
    expect(deleted.status).toBe(204);
    expect((await me(v2)).status).toBe(401);
    expect(
      (await call(app, 'GET', `/v1/identity-providers/${org.provider.id}`, { key: org.key })).status,
    ).toBe(404);
  });

  test('participantToken gives a working token for any person of the tenant', async () => {
    const tenant = await newTenant(app);
    const person = await call(app, 'POST', '/v1/people', {
      key: tenant.key,
      body: { name: 'Helper', email: uniqueEmail() },
    });
    const token = await participantToken(app, tenant, person.json.id);
    expect((await me(token)).json.person.id).toBe(person.json.id);
  });
});

describe('identity providers (admin API)', () => {
  test('create, list, get; the claim mapping and the URLs are checked', async () => {
    const { key } = await newTenant(app);
    const missingSystem = await call(app, 'POST', '/v1/identity-providers', {
      key,
      body: { issuer: issuer.issuer, audience: 'x', personClaim: 'sub' },
    });
    expect(missingSystem.status).toBe(400);
    expect(missingSystem.json.errors[0].field).toBe('/externalIdSystem');
    const emailWithSystem = await call(app, 'POST', '/v1/identity-providers', {
      key,
      body: { issuer: issuer.issuer, audience: 'x', externalIdSystem: 'okta' },
    });
    expect(emailWithSystem.status).toBe(400);

    const created = await call(app, 'POST', '/v1/identity-providers', {
      key,
      body: { issuer: issuer.issuer, audience: 'x' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ personClaim: 'email', version: 1 });
    expect(created.headers.get('location')).toBe(`/v1/identity-providers/${created.json.id}`);
    const list = await call(app, 'GET', '/v1/identity-providers', { key });
    expect(list.json.items.map((p: { id: string }) => p.id)).toEqual([created.json.id]);
    const patch = await call(app, 'PATCH', `/v1/identity-providers/${created.json.id}`, {
      key,
      body: { personClaim: 'oid' },
    });
    expect(patch.status).toBe(422);
    expect(patch.json.errors[0].field).toBe('/externalIdSystem');
  });

  test('AWS policy: an issuer over http, or one that resolves to loopback, is 422 naming the field', async () => {
    const aws = testApp({ urlPolicy: { allowInsecureUrls: false, resolveHost: loopbackDns } });
    const { key } = await newTenant(aws);
    const http = await call(aws, 'POST', '/v1/identity-providers', {
      key,
      body: { issuer: 'http://idp.example.com', audience: 'x' },
    });
    expect(http.status).toBe(422);
    expect(http.json.errors).toEqual([{ field: '/issuer', in: 'body', message: 'must use https' }]);
    const loopback = await call(aws, 'POST', '/v1/identity-providers', {
      key,
      body: { issuer: 'https://idp.example.com', audience: 'x', jwksUri: 'https://10.0.0.8/keys' },
    });
    expect(loopback.status).toBe(422);
    expect(loopback.json.errors[0].field).toBe('/issuer');
    expect(loopback.json.errors[0].message).toContain('loopback');
    expect((await call(aws, 'GET', '/v1/identity-providers', { key })).json.items).toEqual([]);
  });
});
