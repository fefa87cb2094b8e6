import { cancellationCodes } from '@tandem/store';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppDeps, AppEnv } from './env.ts';
import { allowedMethods } from './http/allowed-methods.ts';
import { auditTrail, routeNames } from './http/audit.ts';
import { registerDocs } from './http/docs.ts';
import { manifestOperationIds, registerLazyRouteGroups, registerLazyScim } from './http/lazy-routes.ts';
import { errorToProblem, problem } from './http/problems.ts';
import { rateLimit } from './http/rate-limit.ts';
import { authenticate, requestContext } from './http/request-context.ts';

/** API Gateway caps payloads at 10 MB; Tandem's resources are small, so refuse anything near that early. */
const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: AppDeps) {
  // The app and each route group's own app (see lazy-routes.ts) answer bad input and errors alike.
  const onError = (error: Error, c: Context<AppEnv>) =>
    errorToProblem(error, c, (e) =>
      deps.logger.error('unhandled error', {
        requestId: c.get('requestId'),
        error: e as Error,
        // A cancelled transaction (a conflict past the retries, say) names its cause only here.
        cancellationReasons: cancellationCodes(e),
      }),
    );
  // The outer app only routes, runs the app-wide middleware and answers problems: it is plain hono,
  // so a cold start loads no zod. Each group's app, an OpenAPI app, loads with the group.
  // It holds every route of the API: a trie finds one by the path's segments, where the linear
  // router (the groups' apps, a few routes each) would try them all on every request, and unlike
  // hono's default router it compiles nothing at a cold start's first request.
  const app = new Hono<AppEnv>({ router: new TrieRouter() });
  app.onError(onError);
  const newApp = async () => (await import('./http/group-app.ts')).newGroupApp(onError);

  app.use('*', requestContext(deps));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problem(c, 413, `Bodies are limited to ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.use('/v1/*', authenticate(deps));
  // Throttled requests stop here: they touch neither the table nor the audit log.
  app.use('/v1/*', rateLimit());
  app.use('/v1/*', auditTrail(routeNames(manifestOperationIds())));
  let allowed: ReturnType<typeof allowedMethods> | undefined;
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // Read on first use: by then every route is registered.
    allowed ??= allowedMethods(app.routes);
    const methods = allowed(path);
    if (methods.length === 0) return problem(c, 404, `No route ${c.req.method} ${path}`);
    const response = problem(c, 405, `${path} accepts ${methods.join(', ')}, not ${c.req.method}`);
    response.headers.set('allow', methods.join(', '));
    return response;
  });

  // Each group of routes loads on the first request to it, SCIM too.
  registerLazyRouteGroups(app, newApp);
  registerLazyScim(app, newApp, deps);

  // The document is generated from every group, on the first request for it (document.ts).
  let document: Promise<unknown> | undefined;
  app.get('/openapi.json', async (c) => {
    document ??= import('./http/document.ts')
      .then((module) => module.openApiDocument())
      .catch((error: unknown) => {
        document = undefined;
        throw error;
      });
    return c.json(await document);
  });
  registerDocs(app);
  app.get('/', (c) => c.redirect('docs'));
  return app;
}

export type App = ReturnType<typeof createApp>;
