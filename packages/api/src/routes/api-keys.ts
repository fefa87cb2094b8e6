import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createApiKey, revokeApiKey, rotateApiKey } from '@tandem/app';
import { apiKey, apiKeyInput, apiKeyRotation } from '@tandem/core';
import { evictApiKey } from '../auth/cache.ts';
import { apiKeyWithSecret } from '../auth/issue-key.ts';
import { type AppEnv, tenantContext } from '../env.ts';
import { idempotency, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonBody,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['API keys'];
const params = idParams({ keyId: 'apiKey' });

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/api-keys',
      operationId: 'createApiKey',
      description:
        'Creates a scoped API key for your organization. The response carries the secret once; Tandem keeps only its hash. Needs the `admin` scope.',
      tags,
      summary: 'Create an API key (the secret is shown once)',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(apiKeyInput) },
      responses: { 201: jsonResponse(apiKeyWithSecret, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const created = await createApiKey(tenantContext(c), c.req.valid('json'));
      c.header('location', `/v1/api-keys/${created.id}`);
      return c.json(created, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      description:
        "Lists your organization's API keys with their scopes, status and expiry, never their secrets. Needs the `admin` scope.",
      tags,
      summary: 'List API keys (never their secrets)',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(apiKey, 'ApiKeyPage'), 'A page of keys'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await c.get('store').apiKeys.list(c.req.valid('query')), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/api-keys/{keyId}',
      operationId: 'getApiKey',
      description: 'Returns one API key without its secret. Needs the `admin` scope.',
      tags,
      summary: 'Get an API key',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: { 200: jsonResponse(apiKey, 'The key'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => c.json(await c.get('store').apiKeys.get(c.req.valid('param').keyId), 200),
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/api-keys/{keyId}',
      operationId: 'revokeApiKey',
      description:
        'Revokes a key at once; calls made with it afterwards get 401. Revoking a revoked key returns it unchanged. Needs the `admin` scope.',
      tags,
      summary: 'Revoke an API key (immediately; revoking twice is harmless)',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: {
        200: jsonResponse(apiKey, 'The revoked key'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const revoked = await revokeApiKey(tenantContext(c), c.req.valid('param').keyId);
      evictApiKey(revoked.id);
      return c.json(revoked, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/api-keys/{keyId}/rotate',
      operationId: 'rotateApiKey',
      description:
        'Issues a replacement key with the same name and scopes, shown once, and lets the old key work until the overlap ends. Needs the `admin` scope.',
      tags,
      summary: 'Rotate a key: a new key now, the old one keeps working for the overlap window',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(apiKeyRotation) },
      responses: {
        201: jsonResponse(apiKeyWithSecret, 'The new key'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { keyId } = c.req.valid('param');
      const rotated = await rotateApiKey(tenantContext(c), keyId, c.req.valid('json').overlapSeconds);
      evictApiKey(keyId);
      c.header('location', `/v1/api-keys/${rotated.id}`);
      return c.json(rotated, 201);
    },
  );
}
