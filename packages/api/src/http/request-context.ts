import { CursorCodec } from '@tandem/store';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppDeps, AppEnv } from '../env.ts';
import { HRIS_INGEST_PATH } from './hris-ingest-path.ts';

// The middleware every request passes, apart from the routes' own (middleware.ts): the app loads
// it at start, while the routes' middleware and the tenant store it builds load with their groups.

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (the caller's X-Request-Id when sane, else a new one) and one structured access log line. */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('deps', deps);
    c.set('principal', null);
    c.set('refusal', undefined);
    const started = performance.now();
    await next();
    c.res.headers.set('x-request-id', requestId);
    const principal = c.get('principal');
    // The route pattern, not the path: ids would make every request its own metric.
    const route = `${c.req.method} ${routePath(c, -1)}`;
    const status = c.res.status;
    deps.logger.info('request', {
      requestId,
      tenantId: principal && principal.kind !== 'operator' ? principal.tenantId : undefined,
      operator: principal?.kind === 'operator' || undefined,
      method: c.req.method,
      path: c.req.path,
      route,
      status,
      durationMs: Math.round(performance.now() - started),
    });
    if (status >= 400) deps.metrics?.count(status >= 500 ? 'ServerErrors' : 'ClientErrors', { route });
  };
}

/** Resolves the caller once per request; routes then demand what they need. */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const cursors = new CursorCodec(deps.cursorSecret);
  return async (c, next) => {
    c.set('cursors', cursors);
    // HR systems send no Tandem credential there (a Personio token would only be looked up in vain).
    if (c.req.method === 'POST' && HRIS_INGEST_PATH.test(c.req.path)) return next();
    const verdict = await deps.resolvePrincipal(c);
    if (verdict?.kind !== 'unmapped') c.set('principal', verdict);
    else if (!verdict.refused) c.set('refusal', verdict.reason);
    await next();
  };
}
