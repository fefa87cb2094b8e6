import type { OpenAPIHono } from '@hono/zod-openapi';
import { getAnalytics, getAnalyticsRecompute, requestAnalyticsRecompute } from '@tandem/app';
import { analyticsQuery, analyticsRecompute, programAnalytics } from '@tandem/core';
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

  const recomputePath = (programId: string) => `/v1/programs/${programId}/analytics/recompute`;
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/analytics/recompute',
      operationId: 'recomputeProgramAnalytics',
      description:
        "Rebuilds a program's analytics from its enrollments, relationships, goals, meetings, feedback and survey responses, replacing the incrementally kept numbers (they agree unless something went wrong). The rebuild reads the whole program, so it runs in the background (the scheduled job's next pass, within a minute or so); the answer is its status, `queued`, which `Location` (`GET` on this path) shows until `completed`. Needs `admin`.",
      tags,
      summary: "Rebuild a program's analytics from its data, in the background",
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        202: jsonResponse(analyticsRecompute, 'Queued: its status (Location) says when it completed'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const queued = await requestAnalyticsRecompute(tenantContext(c), programId);
      c.header('location', recomputePath(programId));
      return c.json(queued, 202);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/analytics/recompute',
      operationId: 'getProgramAnalyticsRecompute',
      description:
        "The program's last requested rebuild of its analytics: `queued` or `completed`, when it was asked for and completed, and how many counter items it wrote. 404 when none was ever asked for. Needs `read` or `programs:write`.",
      tags,
      summary: "The last requested rebuild of a program's analytics",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(analyticsRecompute, 'Its status'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => c.json(await getAnalyticsRecompute(tenantContext(c), c.req.valid('param').programId), 200),
  );
}
