import type { AuditActor } from '@tandem/core';
import { recordRefusal, withAudit } from '@tandem/store';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Principal } from '../auth/principal.ts';
import { type AppEnv, nowOf } from '../env.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What an audit entry says of the route a request took. */
interface RouteName {
  /** The operation's id in the OpenAPI document, when the route has one. */
  operationId: string | undefined;
  /** `METHOD /path/{param}`. */
  route: string;
}

/**
 * Names the matched route by its pattern, as the OpenAPI document does: `operationIds` maps
 * `METHOD /openapi/{path}` to its operationId (see `manifestOperationIds`). Worked out once per
 * route: the app has a fixed set of them.
 */
export function routeNames(
  operationIds: (method: string, path: string) => string | undefined,
): (c: Context<AppEnv>) => RouteName {
  const named = new Map<string, RouteName>();
  return (c) => {
    const honoPattern = routePath(c, -1);
    const key = `${c.req.method} ${honoPattern}`;
    let name = named.get(key);
    if (!name) {
      const pattern = honoPattern.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
      name = { operationId: operationIds(c.req.method, pattern), route: `${c.req.method} ${pattern}` };
      named.set(key, name);
    }
    return name;
  };
}

/**
 * The caller's address as the platform saw it: API Gateway's `requestContext.identity.sourceIp`
 * in AWS (the client's address, not a header the client can set), the socket's peer under
 * `npm start`. Never `X-Forwarded-For`, which any caller can write.
 */
export function sourceIpOf(c: Context): string | undefined {
  const env = c.env as
    | {
        event?: { requestContext?: { identity?: { sourceIp?: string }; http?: { sourceIp?: string } } };
        incoming?: { socket?: { remoteAddress?: string } };
      }
    | undefined;
  const context = env?.event?.requestContext;
  return context?.identity?.sourceIp ?? context?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress;
}

const actorOf = (principal: Principal): AuditActor =>
  principal.kind === 'operator'
    ? { kind: 'operator', id: 'operator' }
    : principal.kind === 'tenant'
      ? { kind: 'api_key', id: principal.keyId }
      : principal.kind === 'scim'
        ? { kind: 'scim_token', id: principal.tokenId }
        : { kind: 'participant', id: principal.personId };

/**
 * Sets the audit context of an authenticated request, so that every transaction the request
 * commits carries its audit entry (see `TenantRepository.write`). A state-changing request that
 * a tenant's principal made and that was refused (4xx) wrote nothing, so its `refused` entry is
 * a write of its own after the response is built: best effort, logged if it fails, never
 * changing the response.
 */
export function auditTrail(nameOf: (c: Context<AppEnv>) => RouteName): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) return next();
    const { operationId, route } = nameOf(c);
    const context = {
      actor: actorOf(principal),
      operation: operationId ?? route,
      route,
      requestId: c.get('requestId'),
      sourceIp: sourceIpOf(c),
    };
    await withAudit(context, next);
    const status = c.res.status;
    if (
      principal.kind === 'operator' ||
      !operationId ||
      !MUTATING.has(c.req.method) ||
      status < 400 ||
      status >= 500
    )
      return;
    const deps = c.get('deps');
    try {
      await recordRefusal(
        await deps.tenantDb(principal.tenantId),
        principal.tenantId,
        context,
        status,
        nowOf(c),
      );
    } catch (error) {
      deps.logger.error('audit entry of a refused request not written', {
        requestId: context.requestId,
        error: error as Error,
      });
    }
  };
}
