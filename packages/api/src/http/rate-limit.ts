import type { RateLimitBinding } from '@tandem/app';
import { platformRateLimit, type RateLimit, type TenantTier, tierRateLimits } from '@tandem/core';
import type { MiddlewareHandler } from 'hono';
import { type AppEnv, nowOf } from '../env.ts';
import { problem } from './problems.ts';

const DAY_MS = 86_400_000;

interface Bucket {
  tokens: number;
  at: number;
  day: number;
  used: number;
}

/** One limiter's verdict on a request, and what the RateLimit header fields say about it. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until a retry can succeed (refused requests only). */
  retryAfter: number;
  policy: string;
  state: string;
}

/**
 * The local rate limiter: a token bucket (and a daily count) per tenant, with the numbers of
 * API Gateway's usage plans (`tierRateLimits`), in this process. It is also the local
 * implementation of the binding port, so an operator's tier change reaches it at once.
 */
export class TokenBuckets implements RateLimitBinding {
  private readonly tiers = new Map<string, TenantTier>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: Record<TenantTier, RateLimit> = tierRateLimits) {}

  /** A new tier starts with a full bucket of its own, as a key moved to another usage plan does. */
  async bind(tenantId: string, tier: TenantTier): Promise<void> {
    if (this.tiers.get(tenantId) !== tier) this.buckets.delete(tenantId);
    this.tiers.set(tenantId, tier);
  }

  tierOf(tenantId: string): TenantTier | undefined {
    return this.tiers.get(tenantId);
  }

  /** Takes one request from the tenant's bucket (or the platform's, for `null`). */
  take(tenantId: string | null, at: Date): RateDecision {
    const tier = tenantId === null ? undefined : this.tiers.get(tenantId);
    const limit = tier ? this.limits[tier] : platformRateLimit;
    const key = tenantId ?? '';
    const now = at.getTime();
    const day = Math.floor(now / DAY_MS);
    const bucket = this.buckets.get(key) ?? { tokens: limit.burstLimit, at: now, day, used: 0 };
    bucket.tokens = Math.min(
      limit.burstLimit,
      bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * limit.rateLimit,
    );
    bucket.at = Math.max(bucket.at, now);
    if (bucket.day !== day) Object.assign(bucket, { day, used: 0 });
    this.buckets.set(key, bucket);

    const overQuota = limit.dailyQuota !== undefined && bucket.used >= limit.dailyQuota;
    const allowed = bucket.tokens >= 1 && !overQuota;
    if (allowed) {
      bucket.tokens -= 1;
      bucket.used += 1;
    }
    const untilMidnight = Math.ceil(((day + 1) * DAY_MS - now) / 1000);
    const untilFull = Math.ceil((limit.burstLimit - bucket.tokens) / limit.rateLimit);
    const window = Math.max(1, Math.ceil(limit.burstLimit / limit.rateLimit));
    const policies = [`"burst";q=${limit.burstLimit};w=${window}`];
    const states = [`"burst";r=${Math.floor(bucket.tokens)};t=${untilFull}`];
    if (limit.dailyQuota !== undefined) {
      policies.push(`"daily";q=${limit.dailyQuota};w=86400`);
      states.push(`"daily";r=${limit.dailyQuota - bucket.used};t=${untilMidnight}`);
    }
    return {
      allowed,
      retryAfter: overQuota ? untilMidnight : Math.max(1, Math.ceil((1 - bucket.tokens) / limit.rateLimit)),
      policy: policies.join(', '),
      state: states.join(', '),
    };
  }
}

/**
 * Every authenticated request takes a token from its tenant's bucket: API keys and participants
 * alike. The operator key and tokens that name nobody share the platform's bucket; requests
 * without credentials are not counted (they are refused before any work). Responses carry the
 * IETF draft `RateLimit` and `RateLimit-Policy` fields; a refused request is a 429 with `Retry-After`.
 * In AWS there is no limiter here: API Gateway's usage plans enforce the same numbers.
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const buckets = c.get('deps').rateLimits;
    const principal = c.get('principal');
    if (!buckets || (!principal && !c.get('refusal'))) return next();
    const tenantId = principal && principal.kind !== 'operator' ? principal.tenantId : null;
    if (tenantId !== null && !buckets.tierOf(tenantId)) {
      // First request of this tenant in this process; later tier changes arrive through bind().
      // Only the local server limits here, so the tenant directory (and the core schemas it
      // builds) loads then, never in a Lambda's cold start.
      const { tenantTierOf } = await import('./tenant-tier.ts');
      await buckets.bind(tenantId, await tenantTierOf(c, tenantId));
    }
    const decision = buckets.take(tenantId, nowOf(c));
    if (!decision.allowed) {
      const response = problem(
        c,
        429,
        `Too many requests for this ${tenantId ? 'organization' : 'caller'}; retry after ${decision.retryAfter} s`,
      );
      response.headers.set('retry-after', String(decision.retryAfter));
      response.headers.set('ratelimit-policy', decision.policy);
      response.headers.set('ratelimit', decision.state);
      return response;
    }
    await next();
    c.res.headers.set('ratelimit-policy', decision.policy);
    c.res.headers.set('ratelimit', decision.state);
  };
}
