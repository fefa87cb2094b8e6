import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../env.ts';
import { validationProblem } from './problems.ts';

/**
 * The app a route group (or SCIM) is registered on when its first request loads it (lazy-routes.ts):
 * an OpenAPI app that validates with the groups' zod schemas and answers bad input and errors as
 * the outer app does. This module is what brings zod and the OpenAPI extension in, so it loads
 * with the first group, not at a cold start.
 */
export function newGroupApp(onError: (error: Error, c: Context<AppEnv>) => Response): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // Hono's default router compiles one regular expression of every route at the first match,
    // which each cold start's first request waited for; a trie is built as routes are added and
    // compiles nothing (the same router as the outer app's, see app.ts).
    router: new TrieRouter(),
    defaultHook: (result, c) => {
      if (!result.success) return validationProblem(c, result.target, result.error);
    },
  });
  app.onError(onError);
  return app;
}
