import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { getHealth, listAtRisk } from '@tandem/app';
import { atRiskRelationship, relationshipHealthView } from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { requireActor, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idParams,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Relationship health'];

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/health',
      operationId: 'getRelationshipHealth',
      description:
        "A relationship's health: a 0–100 score from meeting cadence against the agreement, days since the last held meeting, goal progress against time elapsed, recent meeting ratings and pulse answers, each component explained in words, with whether it is at risk under the program's threshold and one history entry per day evaluated. The scheduled job evaluates it daily; before the first evaluation it is computed at the time of the request (without `evaluatedAt`). Needs `read` or `programs:write`, or a participant token of one of its members.",
      tags,
      summary: 'The health score of a relationship, explained, with its history',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: idParams({ relationshipId: 'relationship' }) },
      responses: {
        200: jsonResponse(relationshipHealthView, 'The latest evaluation and its history'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => c.json(await getHealth(actorContext(c), c.req.valid('param').relationshipId), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/at-risk',
      operationId: 'listAtRiskRelationships',
      description:
        "Lists the program's relationships whose last health evaluation was below the program's threshold, with the score and the reasons. A relationship leaves the list when it recovers or ends. Needs `read` or `programs:write`.",
      tags,
      summary: "The program's relationships at risk",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: {
        params: idParams({ programId: 'program' }),
        query: z.strictObject({ ...listQueryFields }),
      },
      responses: {
        200: jsonResponse(
          pageOf(atRiskRelationship, 'AtRiskRelationshipPage'),
          'A page of relationships at risk',
        ),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await listAtRisk(tenantContext(c), c.req.valid('param').programId, { limit, cursor }),
        200,
      );
    },
  );
}
