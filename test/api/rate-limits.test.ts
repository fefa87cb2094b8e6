import { TokenBuckets } from '@tandem/api';
import { tierRateLimits } from '@tandem/core';
import { describe, expect, test } from 'vitest';
import { call, OPERATOR_KEY, testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

// The buckets refill only when this clock moves: no test depends on how fast requests run.
let clock = new Date();
const app = testApp({ now: () => clock, rateLimits: new TokenBuckets() });
/** Moves the clock on, refilling every bucket (the platform's, which creates the tenants, included). */
const tick = (seconds = 60) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

async function tenantOf(tier: 'free' | 'standard' | 'enterprise') {
  const res = await call(app, 'POST', '/v1/tenants', {
    key: OPERATOR_KEY,
    body: { name: `${tier} org`, tier },
  });
  expect(res.status).toBe(201);
  return { tenantId: res.json.tenant.id as string, key: res.json.adminKey.secret as string };
}

/** Requests until the first refusal; the 200s before it and the refusal. */
async function drain(key: string, max: number) {
  const answered: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await call(app, 'GET', '/v1/people', { key });
    if (res.status === 429) return { allowed: answered.length, refusal: res };
    expect(res.status).toBe(200);
    answered.push(res.status);
  }
  throw new Error(`no 429 within ${max} requests`);
}

describe('per-tenant rate limits', () => {
  test('a tenant at its limit gets 429 with Retry-After and RateLimit fields; another tenant is unaffected', async () => {
    tick();
    const limited = await tenantOf('free');
    const other = await tenantOf('free');
    const free = tierRateLimits.free;

    const first = await call(app, 'GET', '/v1/people', { key: limited.key });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe(
      `"burst";q=${free.burstLimit};w=${free.burstLimit / free.rateLimit}, "daily";q=${free.dailyQuota};w=86400`,
    );
    expect(first.headers.get('ratelimit')).toMatch(
      new RegExp(`^"burst";r=${free.burstLimit - 1};t=1, "daily";r=${free.dailyQuota! - 1};t=\\d+$`),
    );

    const { allowed, refusal } = await drain(limited.key, free.burstLimit + 1);
    expect(allowed).toBe(free.burstLimit - 1);
    expect(refusal.headers.get('content-type')).toContain('application/problem+json');
    expect(refusal.json).toMatchObject({ status: 429, type: expect.stringMatching(/rate-limited$/) });
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refusal.headers.get('ratelimit')).toMatch(/^"burst";r=0;t=\d+, "daily";r=\d+;t=\d+$/);
    expect(refusal.headers.get('ratelimit-policy')).toContain(`"burst";q=${free.burstLimit}`);

    // The other organization of the same tier still has its whole burst.
    for (let i = 0; i < free.burstLimit; i++)
      expect((await call(app, 'GET', '/v1/people', { key: other.key })).status).toBe(200);

    // A refill at the tier's rate: one second brings back `rateLimit` requests.
    tick(1);
    expect((await drain(limited.key, free.burstLimit)).allowed).toBe(free.rateLimit);
  });

  test("participants' requests count against their organization", async () => {
    tick();
    const org = await tenantOf('free');
    const person = await call(app, 'POST', '/v1/people', {
      key: org.key,
      body: { name: 'Dana', email: uniqueEmail('dana') },
    });
    const token = await participantToken(app, org, person.json.id);
    expect((await call(app, 'GET', '/v1/me', { key: token })).status).toBe(200);
    await drain(org.key, tierRateLimits.free.burstLimit);
    const refused = await call(app, 'GET', '/v1/me', { key: token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
  });

  test("an operator's tier change applies to the tenant's next request, without a restart", async () => {
    tick();
    const org = await tenantOf('free');
    await drain(org.key, tierRateLimits.free.burstLimit + 1);

    const upgraded = await call(app, 'PATCH', `/v1/tenants/${org.tenantId}`, {
      key: OPERATOR_KEY,
      body: { tier: 'enterprise' },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(upgraded.status).toBe(200);
    const enterprise = tierRateLimits.enterprise;
    const after = await call(app, 'GET', '/v1/people', { key: org.key });
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-policy')).toContain(`"burst";q=${enterprise.burstLimit}`);
    // More than a free tenant's whole burst, at the same frozen instant.
    for (let i = 0; i < tierRateLimits.free.burstLimit * 2; i++)
      expect((await call(app, 'GET', '/v1/people', { key: org.key })).status).toBe(200);

    expect(
      (
        await call(app, 'PATCH', `/v1/tenants/${org.tenantId}`, {
          key: OPERATOR_KEY,
          body: { tier: 'free' },
          headers: { 'content-type': 'application/merge-patch+json' },
        })
      ).status,
    ).toBe(200);
    expect((await drain(org.key, tierRateLimits.free.burstLimit + 1)).allowed).toBe(
      tierRateLimits.free.burstLimit,
    );
  });

  test('every operation documents 429 with Retry-After and the RateLimit fields', async () => {
    const document = (await call(app, 'GET', '/openapi.json')).json;
    const operations = Object.values(document.paths as Record<string, Record<string, any>>).flatMap((item) =>
      Object.values(item),
    );
    expect(operations.length).toBeGreaterThan(50);
    for (const operation of operations)
      expect(Object.keys(operation.responses['429']?.headers ?? {}).sort()).toEqual([
        'RateLimit',
        'RateLimit-Policy',
        'Retry-After',
      ]);
  });
});

describe('SCIM under the same limits', () => {
  test("an identity provider's SCIM requests count against its organization's bucket", async () => {
    tick();
    const tenant = await tenantOf('free');
    const issued = await call(app, 'POST', '/v1/scim-token', { key: tenant.key });
    expect(issued.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < tierRateLimits.free.burstLimit; i++)
      statuses.push((await call(app, 'GET', '/scim/v2/Users', { key: issued.json.secret })).status);
    // The token issue took one request of the burst; the SCIM calls take the rest, then 429.
    expect(statuses.filter((s) => s === 200)).toHaveLength(tierRateLimits.free.burstLimit - 1);
    expect(statuses.at(-1)).toBe(429);
  });
});
