import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { awardTypeBadge, createAwardType, getAwardType, listAwardTypes } from '@tandem/app';
import { awardType, awardTypeInput } from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf } from '../http/etag.ts';
import { idempotency, requireActor, requireScope } from '../http/middleware.ts';
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

const tags = ['Recognition'];
const params = idParams({ awardTypeId: 'awardType' });

export function registerAwardTypeRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/award-types',
      operationId: 'createAwardType',
      description:
        'Defines an award: its name and criteria, a badge (an SVG generated from the name and two colours, or an https image the organization hosts), whether nominations need an admin to approve them (`requiresApproval`), and whether each award comes with a PDF certificate. Needs `programs:write`.',
      tags,
      summary: 'Define an award type',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(awardTypeInput) },
      responses: { 201: jsonResponse(awardType, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const value = await createAwardType(tenantContext(c), c.req.valid('json'));
      c.header('location', `/v1/award-types/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/award-types',
      operationId: 'listAwardTypes',
      description:
        "The organization's award types, oldest first. API keys with `read` or `programs:write`, and participants (who nominate for them).",
      tags,
      summary: 'List award types',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(awardType, 'AwardTypePage'), 'A page of award types'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await listAwardTypes(actorContext(c), c.req.valid('query')), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/award-types/{awardTypeId}',
      operationId: 'getAwardType',
      description:
        'One award type with its ETag. API keys with `read` or `programs:write`, and participants.',
      tags,
      summary: 'Get an award type',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(awardType, 'The award type'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await getAwardType(actorContext(c), c.req.valid('param').awardTypeId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/award-types/{awardTypeId}/badge',
      operationId: 'getAwardTypeBadge',
      description:
        "The award's badge: the generated SVG (`image/svg+xml`; every text in it is XML-escaped, and it is served with a CSP that runs nothing), or a redirect (302) to the image the organization hosts. API keys with `read` or `programs:write`, and participants.",
      tags,
      summary: "An award type's badge (SVG, or a redirect to its image)",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: {
          description: 'The generated badge',
          content: { 'image/svg+xml': { schema: z.string().max(10_000) } },
        },
        302: {
          description: 'The badge is an image the organization hosts: its URL is in Location',
          headers: z.object({ location: z.url().max(2048) }),
        },
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const badge = await awardTypeBadge(actorContext(c), c.req.valid('param').awardTypeId);
      if ('imageUrl' in badge) return c.redirect(badge.imageUrl, 302);
      return c.body(badge.svg, 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=300',
      });
    },
  );
}
