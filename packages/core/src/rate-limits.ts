import type { TenantTier } from './tiers.ts';

/**
 * A token bucket, as API Gateway's usage plans define one: `burstLimit` requests at once, refilled
 * at `rateLimit` per second; and, where set, at most `dailyQuota` requests per UTC day.
 */
export interface RateLimit {
  rateLimit: number;
  burstLimit: number;
  dailyQuota?: number;
}

/**
 * Each tier's limits, per tenant: the one definition that both the API Gateway usage plans (CDK)
 * and the local token buckets (npm start) read, so a tenant is limited alike in both. A tenant's
 * API keys and its participants' tokens all count against it.
 */
export const tierRateLimits: Record<TenantTier, RateLimit> = {
  free: { rateLimit: 5, burstLimit: 10, dailyQuota: 10_000 },
  standard: { rateLimit: 25, burstLimit: 50, dailyQuota: 100_000 },
  enterprise: { rateLimit: 100, burstLimit: 200, dailyQuota: 1_000_000 },
};

/**
 * Calls that belong to no tenant: the operator key, and participant tokens that name nobody (the
 * API answers those 403). In AWS they share one usage plan; locally one bucket.
 */
export const platformRateLimit: RateLimit = { rateLimit: 10, burstLimit: 20 };
