import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createPerson, updatePerson } from '@tandem/app';
import { person, personInput, personPatch, personStatuses } from '@tandem/core';
import { evictPerson } from '../auth/cache.ts';
import { type AppEnv, tenantContext } from '../env.ts';
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

const tags = ['People'];
const params = idParams({ personId: 'person' });

const listQuery = z.strictObject({
  ...listQueryFields,
  department: z.string().max(120).optional().meta({ description: 'Exact department name' }),
  skill: z
    .string()
    .max(80)
    .optional()
    .meta({ description: 'People who offer or want this skill (case-insensitive)' }),
  status: z.enum(personStatuses).optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional().meta({
    description: 'Only people changed after this time, oldest change first (for syncing)',
    maxLength: 35,
  }),
});

export function registerPeopleRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/people',
      operationId: 'createPerson',
      description:
        'Adds a person to your organization. Emails are unique per organization regardless of case (409). A manager must be another person of the organization. Needs `people:write`.',
      tags,
      summary: 'Add a person to the organization',
      middleware: [requireScope('people:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(personInput) },
      responses: { 201: jsonResponse(person, 'Created'), ...problemResponses(...commonProblems, 409) },
    }),
    async (c) => {
      const value = await createPerson(tenantContext(c), c.req.valid('json'));
      // A token that named nobody may name this person now.
      evictPerson(c.get('tenantId'), value.id);
      c.header('location', `/v1/people/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people',
      operationId: 'listPeople',
      description:
        'Lists people, filtered by department, skill, status, or changes since a time (for syncing). Needs `read` or `people:write`.',
      tags,
      summary: 'List people, filtered by department, skill, status or last change',
      middleware: [requireScope('read', 'people:write')] as const,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(pageOf(person, 'PersonPage'), 'A page of people'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await c.get('store').people.list(filter, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people/{personId}',
      operationId: 'getPerson',
      description: 'Returns one person with its ETag. Needs `read` or `people:write`.',
      tags,
      summary: 'Get a person',
      middleware: [requireScope('read', 'people:write')] as const,
      request: { params },
      responses: { 200: jsonResponse(person, 'The person'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await c.get('store').people.get(c.req.valid('param').personId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/people/{personId}',
      operationId: 'updatePerson',
      description:
        'Applies a JSON Merge Patch (RFC 7396): `null` removes an optional field. Set `status` to `left` for leavers: their history stays. Needs `people:write`.',
      tags,
      summary: 'Update a person (JSON Merge Patch: null clears a field). Set status "left" for leavers.',
      middleware: [requireScope('people:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(personPatch) },
      responses: {
        200: jsonResponse(person, 'The updated person'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { personId } = c.req.valid('param');
      const next = await updatePerson(tenantContext(c), personId, c.req.valid('json'), preconditionOf(c));
      // A leaver's token stops working at once here (in AWS, when API Gateway's cache expires).
      evictPerson(c.get('tenantId'), personId);
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );
}
