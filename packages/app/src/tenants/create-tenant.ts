import { domainEvent, newId, type Tenant, type TenantInput } from '@tandem/core';
import { type IssuedKey, issueKey } from '../api-keys/issue-key.ts';
import type { PlatformContext } from '../context.ts';

/** A tenant never exists without its first admin key, shown once to the operator. */
export async function createTenant(
  ctx: PlatformContext,
  input: TenantInput,
): Promise<{ tenant: Tenant; adminKey: IssuedKey }> {
  const now = ctx.clock().toISOString();
  const value: Tenant = {
    id: newId('tenant'),
    ...input,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const { key, secret, secretHash } = issueKey(
    { name: 'Admin (created with the tenant)', scopes: ['admin'] },
    now,
  );
  // Before the tenant exists: in AWS a tenant without a usage plan key could call nothing.
  await ctx.rateLimits?.bind(value.id, value.tier);
  await ctx.tenants.create(
    value,
    key,
    secretHash,
    domainEvent('tenant.created', { tenantId: value.id, name: value.name }),
  );
  return { tenant: value, adminKey: { ...key, secret } };
}
