import type { PlatformContext } from '@tandem/app';
import { TenantsRepository } from '@tandem/store';
import type { Context } from 'hono';
import { type AppEnv, nowOf } from './env.ts';

// Apart from env.ts, which the app loads at start: only the operator's routes build the tenant
// directory, so its repository and the core schemas it uses load with their group.

/** The operator's use cases' context: the tenant directory on the platform client. */
export function platformContext(c: Context<AppEnv>): PlatformContext {
  const { platformDb, usagePlans, rateLimits } = c.get('deps');
  const binding = usagePlans ?? rateLimits;
  return {
    tenants: new TenantsRepository(platformDb, c.get('cursors'), () => nowOf(c)),
    clock: () => nowOf(c),
    ...(binding ? { rateLimits: binding } : {}),
  };
}
