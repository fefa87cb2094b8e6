import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { issueScimToken, revokeScimToken } from '@tandem/app';
import { scimToken } from '@tandem/core';
import { evictScimTokens } from '../auth/cache.ts';
import { type AppEnv, tenantContext } from '../env.ts';
import { shownOnce } from '../http/idempotency.ts';
import { idempotency, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['SCIM provisioning'];

const scimTokenWithSecret = scimToken
  .extend({
    secret: shownOnce('The SCIM token: give it to the identity provider’s provisioning connection.'),
  })
  .meta({ id: 'ScimTokenWithSecret' });

export function registerScimTokenRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/scim-token',
      operationId: 'issueScimToken',
      description:
        'Issues the SCIM bearer token with which Okta or Microsoft Entra ID provision your people through /scim/v2. ' +
        'The response carries the secret once; Tandem keeps only its hash. Issuing again rotates: the previous token ' +
        'stops working at once. Needs the `admin` scope.',
      tags,
      summary: 'Issue or rotate the SCIM token (the secret is shown once)',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: { headers: idempotencyHeaders },
      responses: {
        201: jsonResponse(scimTokenWithSecret, 'The new token'),
        ...problemResponses(...commonProblems, 409),
      },
    }),
    async (c) => {
      const issued = await issueScimToken(tenantContext(c));
      evictScimTokens(c.get('tenantId'));
      c.header('location', '/v1/scim-token');
      return c.json(issued, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/scim-token',
      operationId: 'getScimToken',
      description:
        'Returns the SCIM token’s record (status, when issued), never its secret. Needs the `admin` scope.',
      tags,
      summary: 'Get the SCIM token (never its secret)',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject({}) },
      responses: { 200: jsonResponse(scimToken, 'The token'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => c.json(await c.get('store').scimTokens.get(), 200),
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/scim-token',
      operationId: 'revokeScimToken',
      description:
        'Revokes the SCIM token at once: provisioning calls get 401 until a new token is issued. Revoking twice returns the token unchanged. Needs the `admin` scope.',
      tags,
      summary: 'Revoke the SCIM token',
      middleware: [requireScope('admin')] as const,
      responses: {
        200: jsonResponse(scimToken, 'The revoked token'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const revoked = await revokeScimToken(tenantContext(c));
      evictScimTokens(c.get('tenantId'));
      return c.json(revoked, 200);
    },
  );
}
