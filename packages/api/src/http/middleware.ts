import {
  calendarFeedTokenPattern,
  ForbiddenError,
  hashSecret,
  NotFoundError,
  type Scope,
  UnauthorizedError,
} from '@tandem/core';
import {
  CertificateLinks,
  type CursorCodec,
  certificateTokenPattern,
  type Db,
  ExpiringMap,
  IdempotencyStore,
  resolveCalendarFeed,
  secretsOf,
} from '@tandem/store';
import { type TenantStore, tenantStore } from '@tandem/store/tenant-store';
import type { Context, MiddlewareHandler } from 'hono';
import { type AppEnv, nowOf } from '../env.ts';

/** Routes take all their middleware from this module. */
export { idempotency } from './idempotency.ts';
export { authenticate } from './request-context.ts';

/** Operator-only routes (the tenant directory). */
export function requireOperator(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthenticated(c, 'Send the operator key as a Bearer token');
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
    if (!principal) throw unauthenticated(c, 'Send an API key as a Bearer token');
    if (principal.kind === 'participant')
      throw new ForbiddenError('This route is for API keys; participants use the routes under /v1/me');
    if (principal.kind === 'scim') throw scimOnly();
    if (principal.kind !== 'tenant')
      throw new ForbiddenError('The operator key manages tenants only; use a tenant API key');
    assertScopes(principal.scopes, accepted);
    await bindTenant(c, principal.tenantId);
    c.set('actor', { kind: 'admin' });
    await next();
  };
}

/**
 * Routes that participants and API keys share (a relationship's workspace, a person's own
 * profile): a key must hold one of `accepted`; a participant is let through, and the use case
 * decides what of the tenant's data is theirs (another person's is 404).
 */
export function requireActor(...accepted: Scope[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthenticated(c, 'Send an API key or a participant token as a Bearer token');
    if (principal.kind === 'operator')
      throw new ForbiddenError('The operator key manages tenants only; use a tenant API key');
    if (principal.kind === 'scim') throw scimOnly();
    if (principal.kind === 'tenant') {
      assertScopes(principal.scopes, accepted);
      await bindTenant(c, principal.tenantId);
      c.set('actor', { kind: 'admin' });
    } else {
      await bindTenant(c, principal.tenantId, principal.personId);
      c.set('actor', { kind: 'participant', personId: principal.personId });
    }
    await next();
  };
}

/** Participant-only routes (`/v1/me`). */
export function requireParticipant(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthenticated(c, 'Send a participant token as a Bearer token');
    if (principal.kind !== 'participant')
      throw new ForbiddenError("This route is a participant's own; call it with a participant token");
    await bindTenant(c, principal.tenantId, principal.personId);
    c.set('actor', { kind: 'participant', personId: principal.personId });
    await next();
  };
}

/**
 * The calendar feed route, which calendar apps call without credentials: the token in the path
 * is the credential. It opens read access to one person's feed and nothing else; an unknown,
 * rotated or revoked token (or a suspended tenant's) is 404, like any path that names nothing.
 */
export function requireCalendarFeedToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = /^(.*)\.ics$/.exec(c.req.param('feed') ?? '')?.[1] ?? '';
    // A malformed name is left to the route's validation (400); a well-formed one must exist.
    if (calendarFeedTokenPattern.test(token)) {
      const feed = await resolveCalendarFeed(c.get('deps').platformDb, hashSecret(token));
      if (!feed) throw new NotFoundError('No such calendar feed; it may have been rotated or revoked');
      await bindTenant(c, feed.tenantId, feed.personId);
      c.set('actor', { kind: 'participant', personId: feed.personId });
    }
    await next();
  };
}

/** Binds a tenant that a route's own credential named (the HRIS webhook route's connection). */
export const bindTenantOf = (c: Context<AppEnv>, tenantId: string) => bindTenant(c, tenantId);
/**
 * The signed certificate link, which works without credentials until it expires: the token in
 * the path (HMAC-signed tenant, award and expiry) is the credential and opens that one
 * certificate only. A forged, altered or expired token names nothing: 404.
 */
export function requireCertificateLink(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const token = c.req.param('link') ?? '';
    // A malformed token is left to the route's validation (400); a well-formed one must verify.
    if (certificateTokenPattern.test(token)) {
      const links = new CertificateLinks(await secretsOf(deps.cursorSecret));
      const claim = links.verify(token, nowOf(c));
      if (!claim) throw new NotFoundError('No such certificate link; it may have expired');
      await bindTenant(c, claim.tenantId);
      c.set('actor', { kind: 'admin' });
    }
    await next();
  };
}

const scimOnly = () => new ForbiddenError('A SCIM token reaches the SCIM routes under /scim/v2 only');

/**
 * The SCIM routes: an identity provider with its organization's SCIM token, nothing else. Binds
 * the tenant's store like requireScope does.
 */
export function requireScimToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthorizedError('Send the organization’s SCIM token as a Bearer token');
    if (principal.kind !== 'scim')
      throw new ForbiddenError(
        'The SCIM routes take the organization’s SCIM token (tdm_scim_…), not this credential',
      );
    await bindTenant(c, principal.tenantId);
    await next();
  };
}

/**
 * No principal: a 401, unless the caller sent a valid participant token that names no active
 * person, which is a 403 saying so (the authorizer's `unmapped` verdict).
 */
function unauthenticated(c: Context<AppEnv>, message: string): Error {
  const refusal = c.get('refusal');
  return refusal ? new ForbiddenError(refusal) : new UnauthorizedError(message);
}

function assertScopes(held: Scope[], accepted: Scope[]) {
  if (!held.includes('admin') && !accepted.some((scope) => held.includes(scope)))
    throw new ForbiddenError(`This needs one of the scopes: ${['admin', ...accepted].join(', ')}`);
}

async function bindTenant(c: Context<AppEnv>, tenantId: string, caller?: string) {
  const db = await c.get('deps').tenantDb(tenantId);
  c.set('tenantId', tenantId);
  c.set('store', storeOf(c, tenantId, db));
  c.set('idempotency', { store: new IdempotencyStore(db), scope: tenantId, ...(caller ? { caller } : {}) });
}

/** How many tenants' stores an app keeps between requests (the oldest built go first). */
const KEPT_STORES = 512;

/** Tenant → its store and the client it was built on, per app (the app's cursor codec). */
const keptStores = new WeakMap<CursorCodec, ExpiringMap<{ db: Db; store: TenantStore }>>();

/**
 * The tenant's store, built once and kept while the tenant's client is the same object (in AWS
 * a new client, with fresh tenant-scoped credentials, gets a new store). A store holds no request
 * state: the audit context travels with the request (`withAudit`) and the clock is read per call.
 * Building one per request made every request pay for a stand-in of each of its repositories.
 */
function storeOf(c: Context<AppEnv>, tenantId: string, db: Db): TenantStore {
  const cursors = c.get('cursors');
  let stores = keptStores.get(cursors);
  if (!stores) {
    stores = new ExpiringMap(KEPT_STORES);
    keptStores.set(cursors, stores);
  }
  const kept = stores.get(tenantId, 0);
  if (kept?.db === db) return kept.store;
  const deps = c.get('deps');
  const store = tenantStore(
    { tenant: db, platform: deps.platformDb, sealer: deps.sealer },
    tenantId,
    cursors,
    () => (deps.now ? deps.now() : new Date()),
  );
  // No expiry: kept until the tenant's client changes or stores built later push it out.
  stores.set(tenantId, { db, store }, Number.POSITIVE_INFINITY);
  return store;
}
