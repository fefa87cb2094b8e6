import { domainEvent, type Tenant, tenant, type tenantPatch } from '@tandem/core';
import type { z } from 'zod';
import type { PlatformContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';

/** Rename, change tier, suspend or reactivate a tenant. */
export async function updateTenant(
  ctx: PlatformContext,
  tenantId: string,
  patch: z.infer<typeof tenantPatch>,
  precondition: Precondition,
): Promise<Tenant> {
  const updated = await mergePatchUpdate(ctx, patch, precondition, {
    load: () => ctx.tenants.get(tenantId),
    schema: tenant,
    save: (current, updated) =>
      ctx.tenants.update(
        current,
        updated,
        domainEvent('tenant.updated', { tenantId, changed: Object.keys(patch) }),
      ),
  });
  // After the write, and whenever the patch names a tier (changed or not): if binding fails, the
  // operator repeats the PATCH and the tenant's limits catch up with its stored tier.
  if (patch.tier) await ctx.rateLimits?.bind(tenantId, updated.tier);
  return updated;
}
