import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { receiveHrisWebhook } from '@tandem/app';
import { NotFoundError, UnauthorizedError } from '@tandem/core';
import { resolveHrisConnection } from '@tandem/store';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DEFAULT_AUTHORIZER_CACHE_SECONDS } from '../auth/authorizer.ts';
import { cachedHrisRoute, cacheHrisRoute, resolveHrisRouteOnce } from '../auth/cache.ts';
import { type AppEnv, nowOf } from '../env.ts';
import { bindTenantOf } from '../http/middleware.ts';
import { idParams, jsonResponse, problemResponses, route } from '../http/openapi.ts';

const params = idParams({ connectionId: 'hrisConnection' });

const acknowledgement = z
  .strictObject({
    outcome: z.enum(['accepted', 'duplicate', 'handshake', 'ignored']),
    changes: z.int().min(0).max(1000).optional().meta({ description: 'Employee changes queued' }),
    reason: z.string().max(500).optional(),
  })
  .meta({ id: 'HrisAcknowledgement' });

/**
 * The connection id in the path names the tenant (through its global lookup item); the provider's
 * signature or token, checked by the use case, is the credential. The exact bytes are read here,
 * before anything could parse and re-serialize them.
 */
function requireHrisConnection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param('connectionId') ?? '';
    if (params.shape.connectionId.safeParse(id).success) {
      const nowMs = Date.now();
      let tenantId = cachedHrisRoute(id, nowMs);
      if (!tenantId) {
        const platformDb = c.get('deps').platformDb;
        tenantId = await resolveHrisRouteOnce(id, () => resolveHrisConnection(platformDb, id));
        if (!tenantId) throw new NotFoundError(`No HRIS connection ${id}`);
        cacheHrisRoute(id, tenantId, nowMs + DEFAULT_AUTHORIZER_CACHE_SECONDS * 1000);
      }
      await bindTenantOf(c, tenantId);
      await c.req.arrayBuffer();
    }
    await next();
  };
}

export function registerHrisWebhookRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/hris/{connectionId}/webhooks',
      operationId: 'receiveHrisWebhook',
      description:
        "Where an HR system posts its webhooks. HR systems send no Tandem credentials, so this operation takes none (`security: []`): the connection id names the connection, and the provider's signature (or token) over the exact bytes sent is the credential, with a ±5 min window where a timestamp is signed. Verified changes are queued and applied in order per employee (202); redeliveries (by event id, or body hash, for 8 days), pings and verification requests, and events Tandem does not apply answer 200; a bad signature 401; a paused connection 503, so the provider retries. See docs/hris.md for each provider.",
      tags: ['HRIS connections'],
      summary:
        'Receive an HR system’s webhook (no Authorization: the provider’s signature is the credential)',
      security: [],
      middleware: [requireHrisConnection()] as const,
      request: { params },
      responses: {
        200: jsonResponse(acknowledgement, 'Acknowledged: a duplicate, a handshake, or nothing to apply'),
        202: jsonResponse(acknowledgement, 'Verified and queued'),
        ...problemResponses(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { connectionId } = c.req.valid('param');
      const receipt = await receiveHrisWebhook(
        {
          tenantId: c.get('tenantId'),
          store: c.get('store'),
          clock: () => nowOf(c),
          hris: c.get('deps').hris,
        },
        connectionId,
        { body: Buffer.from(await c.req.arrayBuffer()), headers: lowerCased(c.req.header()) },
      );
      if (receipt.status === 401) throw new UnauthorizedError(`Signature refused: ${receipt.reason}`);
      if (receipt.status === 503)
        throw new HTTPException(503, {
          message: 'The connection is paused; deliveries are taken again once it is resumed',
        });
      if (receipt.status === 202) return c.json({ outcome: receipt.outcome, changes: receipt.changes }, 202);
      return c.json({ outcome: receipt.outcome, ...(receipt.reason ? { reason: receipt.reason } : {}) }, 200);
    },
  );
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
