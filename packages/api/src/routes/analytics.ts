import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { exportMeetings, exportRelationships, getAnalytics, recomputeAnalytics } from '@tandem/app';
import { analyticsQuery, programAnalytics } from '@tandem/core';
import { stream } from 'hono/streaming';
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

const csv = (description: string) => ({
  description,
  content: { 'text/csv': { schema: z.string().max(1_000_000_000) } },
});

export function registerExportRoutes(app: OpenAPIHono<AppEnv>) {
  for (const [name, exporter, description] of [
    [
      'relationships',
      exportRelationships,
      "Streams a program's relationships as CSV (RFC 4180; cells starting with = + - @ are prefixed with ' so spreadsheets do not run them): status, members and roles, score, start, activation and end with the dissolution reason.",
    ],
    [
      'meetings',
      exportMeetings,
      "Streams a program's meetings as CSV (RFC 4180, formula cells defused): status, start and time zone, duration, place, who attended, topics and shared notes. Private notes are never exported.",
    ],
  ] as const)
    app.openapi(
      route({
        method: 'get',
        path: `/v1/programs/{programId}/exports/${name}`,
        operationId: `export${name[0]!.toUpperCase()}${name.slice(1)}`,
        description: `${description} Needs \`read\` or \`programs:write\`.`,
        tags: ['Exports'],
        summary: `A program's ${name} as CSV`,
        middleware: [requireScope('read', 'programs:write')] as const,
        request: { params },
        responses: { 200: csv(`The ${name}, one row each`), ...problemResponses(...commonProblems, 404) },
      }),
      async (c) => {
        const lines = await exporter(tenantContext(c), c.req.valid('param').programId);
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', `attachment; filename="${name}.csv"`);
        return stream(c, async (out) => {
          for await (const line of lines) await out.write(line);
        });
      },
    );
}
