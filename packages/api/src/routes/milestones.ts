import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listMilestones, reachMilestone } from '@tandem/app';
import { idSchema, milestone, milestoneKey } from '@tandem/core';
import { type AppEnv, actorContext } from '../env.ts';
import { idempotency, requireActor } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Milestones'];
const milestones = '/v1/relationships/{relationshipId}/milestones';

const milestoneParams = z.strictObject({
  relationshipId: idSchema('relationship').meta({ param: { name: 'relationshipId', in: 'path' } }),
  milestoneKey: milestoneKey.meta({ param: { name: 'milestoneKey', in: 'path' } }),
});

const milestoneList = z.object({ items: z.array(milestone).max(20) }).meta({ id: 'MilestoneList' });

export function registerMilestoneRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: milestones,
      operationId: 'listMilestones',
      description:
        "The relationship's milestones, copied from its program's templates when it started, each with its due date and whether it was reached. " +
        'Needs `read` or `programs:write`, or a participant token of a member (404 otherwise).',
      tags,
      summary: "The relationship's milestones and which were reached",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: idParams({ relationshipId: 'relationship' }) },
      responses: {
        200: jsonResponse(milestoneList, 'Every milestone of the relationship'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const items = await listMilestones(actorContext(c), c.req.valid('param').relationshipId);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: `${milestones}/{milestoneKey}/reach`,
      operationId: 'reachMilestone',
      description:
        'Marks a `manual` milestone reached. Milestones with another trigger are reached by what they name (the agreement accepted by all, the first meeting held): 409 here, as for a milestone already reached or an ended relationship. ' +
        'A member (participant token) or an admin with `programs:write`.',
      tags,
      summary: 'Mark a manual milestone reached',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params: milestoneParams, headers: idempotencyHeaders },
      responses: {
        200: jsonResponse(milestone, 'The reached milestone'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { relationshipId, milestoneKey: key } = c.req.valid('param');
      return c.json(await reachMilestone(actorContext(c), relationshipId, key), 200);
    },
  );
}
