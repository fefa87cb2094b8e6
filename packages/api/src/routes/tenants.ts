import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createTenant, updateTenant } from '@tandem/app';
import { tenant, tenantInput, tenantPatch } from '@tandem/core';
import { evictTenant } from '../auth/cache.ts';
import { apiKeyWithSecret } from '../auth/issue-key.ts';
import type { AppEnv } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireOperator } from '../http/middleware.ts';
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
import { platformContext } from '../platform-context.ts';

const tags = ['Tenants (operator)'];
const params = idParams({ tenantId: 'tenant' });
const created = z.object({ tenant, adminKey: apiKeyWithSecret }).meta({
  id: 'TenantCreated',
  description: "The tenant and its first admin key. The key's secret is shown only here.",
});

export function registerTenantRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/tenants',
      operationId: 'createTenant',
      description:
        'Creates an organization and its first admin API key, whose secret is shown once. Operator key only.',
      tags,
      summary: 'Create a tenant (organization) with its first admin API key',
      middleware: [requireOperator(), idempotency({ secrets: ['adminKey.secret'] })] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(tenantInput) },
      responses: { 201: jsonResponse(created, 'Created'), ...problemResponses(...commonProblems, 409) },
    }),
    async (c) => {
      const created = await createTenant(platformContext(c), c.req.valid('json'));
      c.header('location', `/v1/tenants/${created.tenant.id}`);
      c.header('etag', etagOf(created.tenant.version));
      return c.json(created, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/tenants',
      operationId: 'listTenants',
      description: 'Lists organizations. Operator key only.',
      tags,
      summary: 'List tenants',
      middleware: [requireOperator()] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(tenant, 'TenantPage'), 'A page of tenants'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await platformContext(c).tenants.list({ limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/tenants/{tenantId}',
      operationId: 'getTenant',
      description: 'Returns one organization. Operator key only.',
      tags,
      summary: 'Get a tenant',
      middleware: [requireOperator()] as const,
      request: { params },
      responses: { 200: jsonResponse(tenant, 'The tenant'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await platformContext(c).tenants.get(c.req.valid('param').tenantId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/tenants/{tenantId}',
      operationId: 'updateTenant',
      description:
        'Applies a JSON Merge Patch to an organization: rename it, change its tier, or suspend it (its keys stop working) and reactivate it. Operator key only.',
      tags,
      summary: 'Rename, change tier, suspend or reactivate a tenant',
      middleware: [requireOperator()] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(tenantPatch) },
      responses: {
        200: jsonResponse(tenant, 'The updated tenant'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param');
      const next = await updateTenant(platformContext(c), tenantId, c.req.valid('json'), preconditionOf(c));
      evictTenant(tenantId);
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );
}
