import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { endRelationship, getWorkspace, matchManually, reachableRelationship } from '@tandem/app';
import {
  idSchema,
  manualMatchInput,
  relationship,
  relationshipEnd,
  relationshipStatuses,
  relationshipWorkspace,
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

const tags = ['Relationships'];
const params = idParams({ relationshipId: 'relationship' });

const listQuery = z.strictObject({
  ...listQueryFields,
  programId: idSchema('program').optional(),
  personId: idSchema('person').optional(),
  status: z.enum(relationshipStatuses).optional(),
});

export function registerRelationshipRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships',
      operationId: 'createRelationship',
      description:
        'Matches people by hand into an active relationship of a program, scored and explained, under the same hard rules and capacity as a matching run (409 when they break one). Needs `programs:write`.',
      tags,
      summary: 'Match people by hand: scored and explained, under the same hard rules and capacity as a run',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(manualMatchInput) },
      responses: {
        201: jsonResponse(relationship, 'Created'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const value = await matchManually(tenantContext(c), c.req.valid('json'));
      c.header('location', `/v1/relationships/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships',
      operationId: 'listRelationships',
      description:
        'Lists relationships, filtered by program, person or status. Needs `read` or `programs:write`.',
      tags,
      summary: 'List relationships by program, person or status',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(pageOf(relationship, 'RelationshipPage'), 'A page of relationships'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await c.get('store').relationships.list(filter, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}',
      operationId: 'getRelationship',
      description:
        'Returns one relationship with its members, score and explanation, and how it ended once it did. Needs `read` or `programs:write`, or a participant token of one of its members (ended relationships stay readable).',
      tags,
      summary: 'A relationship with its members, score and explanation',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(relationship, 'The relationship'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await reachableRelationship(actorContext(c), c.req.valid('param').relationshipId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/workspace',
      operationId: 'getRelationshipWorkspace',
      description:
        'Everything a member opens a relationship for, in one request: the relationship, its current agreement and who has yet to accept it, its goals, its milestones and its next scheduled meetings. Needs `read` or `programs:write`, or a participant token of one of its members.',
      tags,
      summary: 'The relationship with its agreement, goals, milestones and next meetings',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(relationshipWorkspace, 'The relationship and what lives in it'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      // No ETag: the view joins several items, each with its own version and its own route.
      return c.json(await getWorkspace(actorContext(c), c.req.valid('param').relationshipId), 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/dissolve',
      operationId: 'dissolveRelationship',
      description:
        'Ends an active relationship early with a reason (`mismatch`, `left_organization`, `no_time`, `other`) and an optional `detail` in words, which the members and admins read and events never carry. Its members return to the pool and are not proposed to each other again. Needs `programs:write`, or a participant token of one of its members.',
      tags,
      summary:
        'Dissolve with a reason; the members re-enter the pool (and are not proposed to each other again)',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: {
        params,
        headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
        ...jsonBody(relationshipEnd),
      },
      responses: {
        200: jsonResponse(relationship, 'The dissolved relationship'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const next = await endRelationship(
        actorContext(c),
        relationshipId,
        { to: 'dissolved', ...c.req.valid('json') },
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/complete',
      operationId: 'completeRelationship',
      description:
        'Marks an active relationship completed. Needs `programs:write`, or a participant token of one of its members once every member has written a closing reflection (409 naming who has not).',
      tags,
      summary: 'Mark an active relationship completed',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params, headers: ifMatchHeaders.extend(idempotencyHeaders.shape) },
      responses: {
        200: jsonResponse(relationship, 'The completed relationship'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const next = await endRelationship(
        actorContext(c),
        relationshipId,
        { to: 'completed' },
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );
}
