import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { decideNomination, getNomination, listNominations, nominate } from '@tandem/app';
import { nomination, nominationDecision, nominationInput, nominationStatuses } from '@tandem/core';
import { type AppEnv, recognitionContext } from '../env.ts';
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

const tags = ['Recognition'];
const params = idParams({ nominationId: 'nomination' });

export function registerNominationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/nominations',
      operationId: 'createNomination',
      description:
        "Nominates a person for an award type, with a reason (and optionally the program it recognizes). A participant nominates someone else (themselves: 422); an API key needs `programs:write`. When the award type requires approval the nomination waits (`pending`) for an admin's decision; otherwise it is approved at once and the award is granted. Either way the recognition workflow starts.",
      tags,
      summary: 'Nominate a person for an award',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(nominationInput) },
      responses: { 201: jsonResponse(nomination, 'Created'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await nominate(recognitionContext(c), c.req.valid('json'));
      c.header('location', `/v1/nominations/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/nominations',
      operationId: 'listNominations',
      description:
        "Nominations, oldest first, optionally in one status (the admins' queue: `pending`). Needs `read` or `programs:write`.",
      tags,
      summary: 'List nominations',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: {
        query: z.strictObject({ ...listQueryFields, status: z.enum(nominationStatuses).optional() }),
      },
      responses: {
        200: jsonResponse(pageOf(nomination, 'NominationPage'), 'A page of nominations'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, status } = c.req.valid('query');
      return c.json(await listNominations(recognitionContext(c), { status }, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/nominations/{nominationId}',
      operationId: 'getNomination',
      description: 'One nomination with its ETag. Needs `read` or `programs:write`.',
      tags,
      summary: 'Get a nomination',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(nomination, 'The nomination'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await getNomination(recognitionContext(c), c.req.valid('param').nominationId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  for (const [action, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const)
    app.openapi(
      route({
        method: 'post',
        path: `/v1/nominations/{nominationId}/${action}`,
        operationId: approve ? 'approveNomination' : 'rejectNomination',
        description: approve
          ? 'Approves a pending nomination, with an optional note: the recognition workflow then grants the award, renders its certificate and announces it (`recognition.awarded`). A nomination decided already is 409. Needs `programs:write`.'
          : 'Rejects a pending nomination, with an optional note: nothing is awarded. A nomination decided already is 409. Needs `programs:write`.',
        tags,
        summary: approve ? 'Approve a nomination' : 'Reject a nomination',
        middleware: [requireScope('programs:write'), idempotency()] as const,
        request: {
          params,
          headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
          ...jsonBody(nominationDecision),
        },
        responses: {
          200: jsonResponse(nomination, 'The decided nomination'),
          ...problemResponses(...commonProblems, 404, 409, 412),
        },
      }),
      async (c) => {
        const value = await decideNomination(
          recognitionContext(c),
          c.req.valid('param').nominationId,
          { approve, note: c.req.valid('json').note },
          preconditionOf(c),
        );
        c.header('etag', etagOf(value.version));
        return c.json(value, 200);
      },
    );
}
