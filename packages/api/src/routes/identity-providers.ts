import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createIdentityProvider, deleteIdentityProvider, updateIdentityProvider } from '@tandem/app';
import { identityProvider, identityProviderInput, identityProviderPatch } from '@tandem/core';
import { evictTenantTokens } from '../auth/cache.ts';
import { type AppEnv, identityContext, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  ifMatchHeaders,
  jsonBody,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Identity providers'];
const params = idParams({ providerId: 'identityProvider' });

export function registerIdentityProviderRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/identity-providers',
      operationId: 'createIdentityProvider',
      description:
        "Trusts an OIDC issuer's tokens for your organization's participants: a token signed by one of the issuer's keys (RS256, ES256 or EdDSA), for `audience`, unexpired, whose `personClaim` names an active person, calls the API as that person. The issuer and JWKS URLs must pass the same SSRF guard as webhooks (https to public addresses in AWS). Needs the `admin` scope.",
      tags,
      summary: "Trust an OIDC issuer's tokens for your participants",
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(identityProviderInput) },
      responses: { 201: jsonResponse(identityProvider, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const created = await createIdentityProvider(identityContext(c), c.req.valid('json'));
      evictTenantTokens(c.get('tenantId'));
      c.header('location', `/v1/identity-providers/${created.id}`);
      c.header('etag', etagOf(created.version));
      return c.json(created, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/identity-providers',
      operationId: 'listIdentityProviders',
      description:
        "Lists the identity providers whose tokens sign in your organization's participants. Needs the `admin` scope.",
      tags,
      summary: 'List identity providers',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(identityProvider, 'IdentityProviderPage'), 'A page of identity providers'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await c.get('store').identityProviders.list(c.req.valid('query')), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/identity-providers/{providerId}',
      operationId: 'getIdentityProvider',
      description: 'Returns one identity provider with its ETag. Needs the `admin` scope.',
      tags,
      summary: 'Get an identity provider',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: {
        200: jsonResponse(identityProvider, 'The identity provider'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await c.get('store').identityProviders.get(c.req.valid('param').providerId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/identity-providers/{providerId}',
      operationId: 'updateIdentityProvider',
      description:
        'Applies a JSON Merge Patch (RFC 7396): change the issuer, audience, JWKS URI or claim mapping; tokens are checked against the new settings from the next request. Needs the `admin` scope.',
      tags,
      summary: "Change an identity provider's issuer, audience, keys or claim mapping",
      middleware: [requireScope('admin')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(identityProviderPatch) },
      responses: {
        200: jsonResponse(identityProvider, 'The updated identity provider'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { providerId } = c.req.valid('param');
      const next = await updateIdentityProvider(
        identityContext(c),
        providerId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      evictTenantTokens(c.get('tenantId'));
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/identity-providers/{providerId}',
      operationId: 'deleteIdentityProvider',
      description:
        "Stops trusting the provider's tokens: participants who sign in through it are refused from the next request (in AWS, once API Gateway's authorizer cache expires). Needs the `admin` scope.",
      tags,
      summary: "Stop trusting an identity provider's tokens",
      middleware: [requireScope('admin')] as const,
      request: { params, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      await deleteIdentityProvider(tenantContext(c), c.req.valid('param').providerId, preconditionOf(c));
      evictTenantTokens(c.get('tenantId'));
      return c.body(null, 204);
    },
  );
}
