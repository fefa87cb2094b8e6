import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { archiveResource, createResource, getResource, listResources, updateResource } from '@tandem/app';
import {
  resourceInput,
  resourceKinds,
  resourcePatch,
  resourceStatuses,
  resourceTag,
  resourceView,
} from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireActor, requireScope } from '../http/middleware.ts';
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

const tags = ['Resources'];
const params = idParams({ resourceId: 'resource' });

const listQuery = z.strictObject({
  ...listQueryFields,
  kind: z.enum(resourceKinds).optional(),
  tag: resourceTag.optional().meta({ description: 'Resources carrying this tag' }),
  trainingModule: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'))
    .meta({ description: 'Only training modules (true) or only other resources (false)' }),
  status: z
    .enum(resourceStatuses)
    .optional()
    .meta({ description: 'API keys only; participants always list the active library' }),
});

export function registerResourceRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/resources',
      operationId: 'createResource',
      description:
        'Adds an article (`body`), a link (`url`) or a checklist (`items`) to the library, with tags. A training module (`trainingModule: true`) may carry a quiz with a pass mark; programs can require modules per role. Needs `programs:write`.',
      tags,
      summary: 'Add an article, link or checklist (maybe a training module with a quiz) to the library',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(resourceInput) },
      responses: { 201: jsonResponse(resourceView, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const value = await createResource(tenantContext(c), c.req.valid('json'));
      c.header('location', `/v1/resources/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/resources',
      operationId: 'listResources',
      description:
        'Lists the library, by kind, tag or training modules only. Participants see the active resources and quiz questions without their answers; API keys (`read` or `programs:write`) see everything, archived resources with `status`.',
      tags,
      summary: 'List the library by kind, tag or training modules',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(pageOf(resourceView, 'ResourcePage'), 'A page of resources'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await listResources(actorContext(c), filter, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/resources/{resourceId}',
      operationId: 'getResource',
      description:
        'Returns one resource with its ETag. Participants get active resources only (404 otherwise), and a quiz without its answers; API keys need `read` or `programs:write`.',
      tags,
      summary: 'Get a resource (quiz answers for API keys only)',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(resourceView, 'The resource'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await getResource(actorContext(c), c.req.valid('param').resourceId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/resources/{resourceId}',
      operationId: 'updateResource',
      description:
        'Applies a JSON Merge Patch (RFC 7396): `null` removes an optional field; arrays (tags, items, quiz questions) are replaced. The kind is fixed. The merged resource must still fit its kind (422). A module a running program requires stays a training module (409). Completions already recorded stand. Needs `programs:write`.',
      tags,
      summary: 'Update a resource (JSON Merge Patch); the kind is fixed',
      middleware: [requireScope('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(resourcePatch) },
      responses: {
        200: jsonResponse(resourceView, 'The updated resource'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { resourceId } = c.req.valid('param');
      const next = await updateResource(tenantContext(c), resourceId, c.req.valid('json'), preconditionOf(c));
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/resources/{resourceId}/archive',
      operationId: 'archiveResource',
      description:
        'Archives a resource: participants no longer see it, and completions of it stay on record. A module that a running program requires is refused (409) until the program no longer requires it. Archiving twice is harmless. Needs `programs:write`.',
      tags,
      summary: 'Archive a resource (kept, with its completions)',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: ifMatchHeaders.extend(idempotencyHeaders.shape) },
      responses: {
        200: jsonResponse(resourceView, 'The archived resource'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const value = await archiveResource(
        tenantContext(c),
        c.req.valid('param').resourceId,
        preconditionOf(c),
      );
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );
}
