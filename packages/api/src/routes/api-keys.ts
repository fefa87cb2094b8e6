import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { apiKey, apiKeyInput, apiKeyRotation, domainEvent } from '@tandem/core';
import { evictApiKey } from '../auth/cache.ts';
import { apiKeyWithSecret, issueKey } from '../auth/issue-key.ts';
import { type AppEnv, nowOf } from '../env.ts';
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
} from '../http/openapi.ts';

const tags = ['API keys'];
const params = idParams({ keyId: 'apiKey' });

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      tags,
      summary: 'Create an API key (the secret is shown once)',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(apiKeyInput) },
      responses: { 201: jsonResponse(apiKeyWithSecret, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const now = nowOf(c).toISOString();
      const { key, secret, secretHash } = issueKey(input, now);
      await c
        .get('store')
        .apiKeys.create(
          key,
          secretHash,
          domainEvent('api_key.created', c.get('tenantId'), { keyId: key.id, scopes: key.scopes }),
        );
      c.header('location', `/v1/api-keys/${key.id}`);
      return c.json({ ...key, secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys',
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
    createRoute({
      method: 'get',
      path: '/v1/api-keys/{keyId}',
      tags,
      summary: 'Get an API key',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: { 200: jsonResponse(apiKey, 'The key'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => c.json(await c.get('store').apiKeys.get(c.req.valid('param').keyId), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{keyId}',
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
      const { keyId } = c.req.valid('param');
      const now = nowOf(c).toISOString();
      const revoked = await c
        .get('store')
        .apiKeys.revoke(keyId, now, domainEvent('api_key.revoked', c.get('tenantId'), { keyId }));
      evictApiKey(keyId);
      return c.json(revoked, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys/{keyId}/rotate',
      tags,
      summary: 'Rotate a key: a new key now, the old one keeps working for the overlap window',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(apiKeyRotation) },
      responses: {
        201: jsonResponse(apiKeyWithSecret, 'The new key'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { keyId } = c.req.valid('param');
      const { overlapSeconds } = c.req.valid('json');
      const store = c.get('store');
      const now = nowOf(c);
      const old = await store.apiKeys.get(keyId);
      const { key, secret, secretHash } = issueKey({ name: old.name, scopes: old.scopes }, now.toISOString());
      const oldExpiresAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
      await store.apiKeys.rotate(
        keyId,
        key,
        secretHash,
        oldExpiresAt,
        domainEvent('api_key.created', c.get('tenantId'), {
          keyId: key.id,
          scopes: key.scopes,
          rotatedFrom: keyId,
        }),
      );
      evictApiKey(keyId);
      c.header('location', `/v1/api-keys/${key.id}`);
      return c.json({ ...key, secret }, 201);
    },
  );
}
