import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { getAnalytics, recomputeAnalytics } from '@tandem/app';
import { analyticsQuery, programAnalytics } from '@tandem/core';
import { type AppEnv, tenantContext } from '../env.ts';
import { idempotency, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Analytics'];
const params = idParams({ programId: 'program' });

const recomputeResult = z
  .strictObject({
    programId: z.string(),
    slices: z.int().meta({ description: 'How many counter items (program-wide and slices) were written' }),
  })
  .meta({ id: 'AnalyticsRecompute' });

export function registerAnalyticsRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/analytics',
      operationId: 'getProgramAnalytics',
      description:
        "A program's analytics: enrollment funnel, match rate and time to match, relationships by status and dissolution reason, meetings against the cadence, goal completion, mean meeting rating, and each objective's progress against its target. The numbers are kept up to date from the program's events a moment after they happen, so reading them costs the same whatever the program's size. `by=cohort` adds participation per cohort; cohorts with fewer participants than the program's `analytics.minimumSliceSize` are suppressed. Needs `read` or `programs:write`.",
      tags,
      summary: "A program's analytics and objectives",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params, query: analyticsQuery },
      responses: {
        200: jsonResponse(programAnalytics, 'The analytics'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { by } = c.req.valid('query');
      return c.json(await getAnalytics(tenantContext(c), c.req.valid('param').programId, by), 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/analytics/recompute',
      operationId: 'recomputeProgramAnalytics',
      description:
        "Rebuilds a program's analytics from its enrollments, relationships, goals, meetings and feedback, replacing the incrementally kept numbers (they agree unless something went wrong). Needs `admin`.",
      tags,
      summary: "Rebuild a program's analytics from its data",
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        200: jsonResponse(recomputeResult, 'Recomputed'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const sums = await recomputeAnalytics(tenantContext(c), programId);
      return c.json({ programId, slices: Object.keys(sums).length }, 200);
    },
  );
}
