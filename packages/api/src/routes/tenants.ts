import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { domainEvent, newId, type Tenant, tenant, tenantInput, tenantPatch } from '@tandem/core';
import { TenantsRepository } from '@tandem/store';
import type { Context } from 'hono';
import { evictTenant } from '../auth/cache.ts';
import { apiKeyWithSecret, issueKey } from '../auth/issue-key.ts';
import { type AppEnv, nowOf } from '../env.ts';
import { etagOf } from '../http/etag.ts';
import { mergePatchUpdate } from '../http/merge-patch.ts';
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
} from '../http/openapi.ts';

const tags = ['Tenants (operator)'];
const params = idParams({ tenantId: 'tenant' });
const created = z.object({ tenant, adminKey: apiKeyWithSecret }).meta({
  id: 'TenantCreated',
  description: "The tenant and its first admin key. The key's secret is shown only here.",
});

const repository = (c: Context<AppEnv>) => new TenantsRepository(c.get('deps').platformDb, c.get('cursors'));

export function registerTenantRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/tenants',
      tags,
      summary: 'Create a tenant (organization) with its first admin API key',
      middleware: [requireOperator(), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(tenantInput) },
      responses: { 201: jsonResponse(created, 'Created'), ...problemResponses(...commonProblems, 409) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const now = nowOf(c).toISOString();
      const value: Tenant = {
        id: newId('tenant'),
        ...input,
        status: 'active',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const { key, secret, secretHash } = issueKey(
        { name: 'Admin (created with the tenant)', scopes: ['admin'] },
        now,
      );
      await repository(c).create(
        value,
        key,
        secretHash,
        domainEvent('tenant.created', value.id, { tenantId: value.id, name: value.name }),
      );
      c.header('location', `/v1/tenants/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json({ tenant: value, adminKey: { ...key, secret } }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/tenants',
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
      return c.json(await repository(c).list({ limit, cursor }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/tenants/{tenantId}',
      tags,
      summary: 'Get a tenant',
      middleware: [requireOperator()] as const,
      request: { params },
      responses: { 200: jsonResponse(tenant, 'The tenant'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await repository(c).get(c.req.valid('param').tenantId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/tenants/{tenantId}',
      tags,
      summary: 'Rename, change tier, suspend or reactivate a tenant',
      middleware: [requireOperator()] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(tenantPatch) },
      responses: {
        200: jsonResponse(tenant, 'The updated tenant'),
        ...problemResponses(...commonProblems, 404, 412),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param');
      const patch = c.req.valid('json');
      const repo = repository(c);
      const next = await mergePatchUpdate(c, patch, {
        load: () => repo.get(tenantId),
        schema: tenant,
        save: (current, updated) =>
          repo.update(
            current,
            updated,
            domainEvent('tenant.updated', tenantId, { tenantId, changed: Object.keys(patch) }),
          ),
      });
      evictTenant(tenantId);
      return c.json(next, 200);
    },
  );
}
