import type { AuditActor } from '@tandem/core';
import { recordRefusal, withAudit } from '@tandem/store';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Principal } from '../auth/principal.ts';
import { type AppEnv, nowOf } from '../env.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `METHOD /openapi/{path}` → operationId (see `manifestOperationIds`). */
type OperationIds = (method: string, path: string) => string | undefined;

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
export function auditTrail(
  operationIds: OperationIds,
  /** The route an entry names; by default the matched route's pattern. */
  routeOf: (c: Context<AppEnv>) => string = (c) => routePath(c, -1),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) return next();
    const pattern = routeOf(c).replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
    const operationId = operationIds(c.req.method, pattern);
    const context = {
      actor: actorOf(principal),
      operation: operationId ?? `${c.req.method} ${pattern}`,
      route: `${c.req.method} ${pattern}`,
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
