import { call, type testApp } from './app.ts';
import { type TestIssuer, testIssuer } from './issuer.ts';

type App = ReturnType<typeof testApp>;

let shared: Promise<TestIssuer> | undefined;
const configured = new Map<string, Promise<string>>();

/** The audience of a tenant's test provider: one per tenant, so no token names people of two tenants. */
const audienceOf = (tenantId: string) => `tandem-test-${tenantId}`;

/**
 * Each tenant's organization has an issuer of its own (as each Okta org or Entra tenant does), all
 * signed by the one test server's keys: the API looks at no more than 20 providers trusting one
 * issuer, and one process's test files make far more tenants than that.
 */
const issuerOf = (issuer: TestIssuer, tenantId: string) => `${issuer.issuer}/orgs/${tenantId}`;

/**
 * The tenant's identity provider for participant tokens, configured once per tenant with its
 * admin key: the test issuer on 127.0.0.1, matching people by email.
 */
function providerFor(app: App, tenant: { tenantId: string; key: string }, issuer: TestIssuer) {
  let provider = configured.get(tenant.tenantId);
  if (!provider) {
    provider = call(app, 'POST', '/v1/identity-providers', {
      key: tenant.key,
      body: {
        description: 'Test issuer',
        issuer: issuerOf(issuer, tenant.tenantId),
        audience: audienceOf(tenant.tenantId),
        jwksUri: issuer.jwksUri,
        personClaim: 'email',
      },
    }).then((res) => {
      if (res.status !== 201)
        throw new Error(`configuring the test identity provider: ${res.status} ${res.text}`);
      return res.json.id as string;
    });
    provider.catch(() => configured.delete(tenant.tenantId));
    configured.set(tenant.tenantId, provider);
  }
  return provider;
}

/**
 * A Bearer token with which a person of the tenant calls the API as a participant: an RS256 JWT
 * of a real issuer (JWKS served on 127.0.0.1) that the tenant trusts, naming the person by email,
 * exactly as an organization's identity provider would.
 */
export async function participantToken(
  app: App,
  tenant: { tenantId: string; key: string },
  personId: string,
): Promise<string> {
  shared ??= testIssuer();
  const issuer = await shared;
  await providerFor(app, tenant, issuer);
  const person = await call(app, 'GET', `/v1/people/${personId}`, { key: tenant.key });
  if (person.status !== 200)
    throw new Error(
      `participantToken: no person ${personId} in tenant ${tenant.tenantId} (${person.status})`,
    );
  return issuer.sign({
    iss: issuerOf(issuer, tenant.tenantId),
    aud: audienceOf(tenant.tenantId),
    sub: personId,
    email: person.json.email,
    // Tests may run the app on an injected clock: the token outlives any of them.
    exp: Math.floor(Date.now() / 1000) + 100 * 365 * 86_400,
  });
}
