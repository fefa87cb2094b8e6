import { createHash } from 'node:crypto';
import { ForbiddenError, type Scope, UnauthorizedError } from '@tandem/core';
import { CursorCodec, IdempotencyStore, tenantStore } from '@tandem/store';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppDeps, AppEnv } from '../env.ts';
import { problem } from './problems.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (the caller's X-Request-Id when sane, else a new one) and one structured access log line. */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('deps', deps);
    c.set('principal', null);
    const started = performance.now();
    await next();
    c.res.headers.set('x-request-id', requestId);
    const principal = c.get('principal');
    // The route pattern, not the path: ids would make every request its own metric.
    const route = `${c.req.method} ${routePath(c, -1)}`;
    const status = c.res.status;
    deps.logger.info('request', {
      requestId,
      tenantId: principal?.kind === 'tenant' ? principal.tenantId : undefined,
      operator: principal?.kind === 'operator' || undefined,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
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
    c.set('principal', await deps.resolvePrincipal(c));
    await next();
  };
}

/** Operator-only routes (the tenant directory). */
export function requireOperator(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthorizedError('Send the operator key as a Bearer token');
    if (principal.kind !== 'operator')
      throw new ForbiddenError('Only the platform operator can manage tenants');
    c.set('idempotency', { store: new IdempotencyStore(c.get('deps').platformDb), scope: 'platform' });
    await next();
  };
}

/**
 * Tenant routes: the key must hold one of `accepted` (admin holds every scope). Binds the
 * tenant's store, so handlers can only ever reach the caller's own partitions.
 */
export function requireScope(...accepted: Scope[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthorizedError('Send an API key as a Bearer token');
    if (principal.kind !== 'tenant')
      throw new ForbiddenError('The operator key manages tenants only; use a tenant API key');
    if (!principal.scopes.includes('admin') && !accepted.some((scope) => principal.scopes.includes(scope)))
      throw new ForbiddenError(`This needs one of the scopes: ${['admin', ...accepted].join(', ')}`);
    const db = await c.get('deps').tenantDb(principal.tenantId);
    c.set('tenantId', principal.tenantId);
    c.set(
      'store',
      tenantStore({ tenant: db, platform: c.get('deps').platformDb }, principal.tenantId, c.get('cursors')),
    );
    c.set('idempotency', { store: new IdempotencyStore(db), scope: principal.tenantId });
    await next();
  };
}

/** Canonical JSON (sorted keys), so a replay with reordered fields is still the same request. */
function canonical(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (_, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
    );
  } catch {
    return text;
  }
}

const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

/**
 * Idempotency-Key on POST: the first response (below 500) is stored and replayed; the same key
 * with a different request is 422; a retry while the first is still running is 409. A 5xx
 * releases the key so the client can retry.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (key.length < 1 || key.length > 255)
      return problem(c, 400, 'Idempotency-Key must be 1–255 characters', [
        { field: 'Idempotency-Key', in: 'header', message: 'must be 1–255 characters' },
      ]);
    const { store, scope } = c.get('idempotency');
    const body = await c.req.text();
    const fingerprint = createHash('sha256')
      .update(`${c.req.method} ${new URL(c.req.url).pathname}\n${canonical(body)}`)
      .digest('hex');
    const now = c.get('deps').now?.() ?? new Date();
    const claim = await store.claim(scope, key, fingerprint, now);

    if (claim.state !== 'claimed') {
      if (claim.fingerprint !== fingerprint)
        return problem(
          c,
          422,
          'This Idempotency-Key was used with a different request',
          [{ field: 'Idempotency-Key', in: 'header', message: 'already used for a different request' }],
          'idempotency-key-reused',
        );
      if (claim.state === 'in_progress')
        return problem(
          c,
          409,
          'A request with this Idempotency-Key is still in progress; retry shortly',
          [],
          'idempotency-in-progress',
        );
      const replay = new Response(claim.response.body, {
        status: claim.response.status,
        headers: claim.response.headers,
      });
      replay.headers.set('idempotent-replayed', 'true');
      return replay;
    }

    try {
      await next();
    } catch (error) {
      await store.release(scope, key);
      throw error;
    }
    if (c.res.status >= 500) {
      await store.release(scope, key);
      return;
    }
    const response = c.res.clone();
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    await store.complete(scope, key, { status: response.status, headers, body: await response.text() });
  };
}
