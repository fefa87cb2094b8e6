import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  getRematchRequest,
  listRelationshipRematchRequests,
  requestRematch,
  resolveRematch,
} from '@tandem/app';
import { rematchRequest, rematchRequestInput, rematchResolution, rematchStatuses } from '@tandem/core';
import { type AppEnv, actorContext, adminKeyId, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireActor, requireParticipant, requireScope } from '../http/middleware.ts';
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

const tags = ['Rematch requests'];
const relationshipParams = idParams({ relationshipId: 'relationship' });
const params = idParams({ rematchRequestId: 'rematchRequest' });
const page = pageOf(rematchRequest, 'RematchRequestPage');
const pageQuery = z.strictObject(listQueryFields);

export function registerRematchRequestRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/rematch-requests',
      operationId: 'requestRematch',
      description:
        "A member asks to be matched with someone else, during the relationship or after it ended. The request waits in the admins' queue; the other members never see it. One open request per person and relationship (409 while one is open). Only a member, with their participant token (an API key gets 403; anyone else 404).",
      tags,
      summary: 'Ask for a rematch',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params: relationshipParams, headers: idempotencyHeaders, ...jsonBody(rematchRequestInput) },
      responses: {
        201: jsonResponse(rematchRequest, 'Created'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const value = await requestRematch(actorContext(c), relationshipId, c.req.valid('json'));
      c.header('location', `/v1/rematch-requests/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/rematch-requests',
      operationId: 'listRelationshipRematchRequests',
      description:
        "A relationship's rematch requests, newest first, kept with its history: all of them for admins, a member's own for a member. Needs `read` or `programs:write`, or a participant token of a member.",
      tags,
      summary: "A relationship's rematch requests",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: relationshipParams, query: pageQuery },
      responses: {
        200: jsonResponse(page, 'A page of rematch requests'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      return c.json(
        await listRelationshipRematchRequests(actorContext(c), relationshipId, c.req.valid('query')),
        200,
      );
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/rematch-requests',
      operationId: 'listRematchRequests',
      description:
        "The admins' queue: the organization's rematch requests, oldest first, by status (`open` for the ones waiting). A request just resolved may still show as open for a moment. Needs `read` or `programs:write`.",
      tags,
      summary: 'The rematch request queue',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { query: pageQuery.extend({ status: z.enum(rematchStatuses).optional() }) },
      responses: {
        200: jsonResponse(page, 'A page of rematch requests'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { status, ...request } = c.req.valid('query');
      return c.json(await c.get('store').rematchRequests.list(status, request), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/me/rematch-requests',
      operationId: 'listMyRematchRequests',
      description:
        'The rematch requests you made, newest first, open and resolved, with the admins’ resolution and note. Only with a participant token.',
      tags,
      summary: 'Your rematch requests',
      middleware: [requireParticipant()] as const,
      request: { query: pageQuery },
      responses: {
        200: jsonResponse(page, 'A page of your rematch requests'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { personId } = c.get('actor') as { personId: string };
      return c.json(await c.get('store').rematchRequests.ofPerson(personId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/rematch-requests/{rematchRequestId}',
      operationId: 'getRematchRequest',
      description:
        'One rematch request. Needs `read` or `programs:write`, or the participant token of the person who asked (anyone else gets 404).',
      tags,
      summary: 'A rematch request',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(rematchRequest, 'The rematch request'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await getRematchRequest(actorContext(c), c.req.valid('param').rematchRequestId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/rematch-requests/{rematchRequestId}/resolve',
      operationId: 'resolveRematchRequest',
      description:
        'Resolves an open rematch request as `rematched` (match the person again, by hand or in a run) or `declined`, with a note the person reads. Resolving twice is 409; the person may then ask again. Needs `programs:write`.',
      tags,
      summary: 'Resolve a rematch request',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: {
        params,
        headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
        ...jsonBody(rematchResolution),
      },
      responses: {
        200: jsonResponse(rematchRequest, 'The resolved request'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const next = await resolveRematch(
        tenantContext(c),
        c.req.valid('param').rematchRequestId,
        c.req.valid('json'),
        adminKeyId(c),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );
}
