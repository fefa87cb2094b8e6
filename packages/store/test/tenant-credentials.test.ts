import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  createTenantCredentials,
  createTenantDbs,
  type TenantCredentials,
} from '../src/tenant-credentials.ts';

const roleArn = 'arn:aws:iam::123456789012:role/tandem-test-tenant-data';
const tenantA = 'ten_01jd5x3n7a8q9w0e1r2t3y4z5v';
const tenantB = 'ten_01jd5x3n7a8q9w0e1r2t3y4z5w';
const HOUR = 3_600_000;

/**
 * STS is the one system here we cannot run locally, so these tests replace only the AssumeRole
 * call with a double that records its input and hands out numbered credentials.
 */
function fakeSts(clock: { now: number }) {
  const calls: AssumeRoleCommandInput[] = [];
  const assumeRole = async (input: AssumeRoleCommandInput): Promise<TenantCredentials> => {
    calls.push(input);
    await Promise.resolve();
    return {
      accessKeyId: `AKIA${calls.length}`,
      secretAccessKey: `secret-${calls.length}`,
      sessionToken: `token-${input.Tags?.[0]?.Value}-${calls.length}`,
      expiration: new Date(clock.now + HOUR),
    };
  };
  return { calls, assumeRole };
}

describe('tenant credentials', () => {
  it('assumes the tenant data role with the TenantId session tag', async () => {
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    const sts = fakeSts(clock);
    const credentialsFor = createTenantCredentials({
      roleArn,
      assumeRole: sts.assumeRole,
      now: () => clock.now,
    });

    const credentials = await credentialsFor(tenantA)();

    expect(sts.calls).toEqual([
      {
        RoleArn: roleArn,
        RoleSessionName: `tenant-${tenantA}`,
        DurationSeconds: 3600,
        Tags: [{ Key: 'TenantId', Value: tenantA }],
      },
    ]);
    expect(credentials.sessionToken).toBe(`token-${tenantA}-1`);
  });

  it('caches credentials per tenant and shares one AssumeRole call between concurrent requests', async () => {
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    const sts = fakeSts(clock);
    const provider = createTenantCredentials({ roleArn, assumeRole: sts.assumeRole, now: () => clock.now })(
      tenantA,
    );

    const [first, second] = await Promise.all([provider(), provider()]);
    clock.now += 30 * 60_000;
    const later = await provider();

    expect(sts.calls).toHaveLength(1);
    expect(second).toBe(first);
    expect(later).toBe(first);
  });

  it('refreshes credentials shortly before they expire', async () => {
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    const sts = fakeSts(clock);
    const provider = createTenantCredentials({
      roleArn,
      assumeRole: sts.assumeRole,
      refreshMarginMs: 5 * 60_000,
      now: () => clock.now,
    })(tenantA);

    const first = await provider();
    clock.now = first.expiration.getTime() - 5 * 60_000 - 1;
    expect(await provider()).toBe(first);
    clock.now += 2;
    const refreshed = await provider();

    expect(sts.calls).toHaveLength(2);
    expect(refreshed.accessKeyId).not.toBe(first.accessKeyId);
    expect(refreshed.expiration.getTime()).toBeGreaterThan(first.expiration.getTime());
  });

  it('refuses anything that is not a tenant id before calling STS', () => {
    const sts = fakeSts({ now: 0 });
    const credentialsFor = createTenantCredentials({ roleArn, assumeRole: sts.assumeRole });

    for (const bad of ['', 'ten_1#PRG', 'ten_*', 'x'.repeat(57)]) expect(() => credentialsFor(bad)).toThrow();
    expect(sts.calls).toHaveLength(0);
  });
});

describe('tenant db clients', () => {
  it('gives each tenant its own client carrying that tenant’s credentials, reused across requests', async () => {
    const clock = { now: Date.now() };
    const sts = fakeSts(clock);
    const tenantDb = createTenantDbs({
      tableName: 'tandem-test',
      roleArn,
      assumeRole: sts.assumeRole,
      connection: { region: 'eu-west-1' },
      now: () => clock.now,
    });

    const a = tenantDb(tenantA);
    const b = tenantDb(tenantB);

    expect(tenantDb(tenantA)).toBe(a);
    expect(b).not.toBe(a);
    expect(b.doc).not.toBe(a.doc);
    expect(a.tableName).toBe('tandem-test');
    const credentialsA = await a.doc.config.credentials();
    const credentialsB = await b.doc.config.credentials();
    expect(credentialsA.sessionToken).toMatch(new RegExp(`^token-${tenantA}-`));
    expect(credentialsB.sessionToken).toMatch(new RegExp(`^token-${tenantB}-`));
    expect(sts.calls.map((call) => call.Tags)).toEqual([
      [{ Key: 'TenantId', Value: tenantA }],
      [{ Key: 'TenantId', Value: tenantB }],
    ]);
  });

  it('keeps clients only for the most recently used tenants', () => {
    const sts = fakeSts({ now: Date.now() });
    const tenantDb = createTenantDbs({ tableName: 't', roleArn, assumeRole: sts.assumeRole, maxTenants: 2 });

    const a = tenantDb(tenantA);
    const b = tenantDb(tenantB);
    tenantDb(tenantA);
    tenantDb('ten_01jd5x3n7a8q9w0e1r2t3y4z5x');

    expect(tenantDb(tenantA)).toBe(a);
    expect(tenantDb(tenantB)).not.toBe(b);
  });

  it('closes an evicted client once its requests in flight have had time to end', async () => {
    const sts = fakeSts({ now: Date.now() });
    const tenantDb = createTenantDbs({
      tableName: 't',
      roleArn,
      assumeRole: sts.assumeRole,
      maxTenants: 1,
      destroyAfterMs: 5,
    });
    const a = tenantDb(tenantA);
    let destroyed = false;
    const destroy = a.doc.destroy.bind(a.doc);
    a.doc.destroy = () => {
      destroyed = true;
      destroy();
    };
    tenantDb(tenantB);
    expect(destroyed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(destroyed).toBe(true);
  });
});
