import type { TenantTier } from '@tandem/core';
import { TenantsRepository } from '@tandem/store';
import type { Context } from 'hono';
import { type AppEnv, nowOf } from '../env.ts';

/** The tenant's tier, from the tenant directory: what the local rate limiter binds a tenant to. */
export async function tenantTierOf(c: Context<AppEnv>, tenantId: string): Promise<TenantTier> {
  const tenants = new TenantsRepository(c.get('deps').platformDb, c.get('cursors'), () => nowOf(c));
  return (await tenants.get(tenantId)).tier;
}
