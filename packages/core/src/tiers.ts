/**
 * A tenant's tiers and statuses, apart from the tenant schemas (tenant.ts): the store's audit trail
 * and the rate limits read them, and a function that only relays or delivers webhooks builds no
 * tenant schema.
 */
export const tenantTiers = ['free', 'standard', 'enterprise'] as const;
export type TenantTier = (typeof tenantTiers)[number];
export const tenantStatuses = ['active', 'suspended'] as const;
export type TenantStatus = (typeof tenantStatuses)[number];
