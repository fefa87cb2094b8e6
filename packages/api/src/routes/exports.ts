import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type CsvExport,
  exportMeetings,
  exportRelationships,
  exportSurveyResponses,
  programReport,
} from '@tandem/app';
import { csvLine } from '@tandem/core';
import { type AppEnv, tenantContext } from '../env.ts';
import { requireScope } from '../http/middleware.ts';
import { commonProblems, idParams, problemResponses, route } from '../http/openapi.ts';
import { streamText } from '../http/stream-text.ts';
import { renderProgramReport } from '../report/page.ts';

const tags = ['Analytics'];

/** The dataset's header and rows as CSV lines. */
async function* csvLines(data: CsvExport): AsyncGenerator<string> {
  yield csvLine(data.columns);
  for await (const row of data.rows) yield csvLine(row);
}

const datasets = {
  relationships: {
    build: exportRelationships,
    description:
      'one row per relationship of the program: mentors, mentees and peers (person ids), status, how it was made, its score, when it started, became active and ended, and why',
  },
  meetings: {
    build: exportMeetings,
    description:
      "one row per meeting of the program's relationships: start, duration, time zone, status, who attended and who did not, topics, who scheduled it and when it was logged (no private or shared notes)",
  },
  'survey-responses': {
    build: exportSurveyResponses,
    description:
      "one row per answer of the program's survey responses (response, survey, schedule, who and in which relationship, when, question, kind, value; choices joined by `; `); in an anonymous program no row names anyone, free-text answers are left out, and with fewer than `k` respondents only the header is returned",
  },
} as const;

export function registerExportRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/exports/{dataset}',
      operationId: 'exportProgramData',
      description: `Streams one dataset of a program as CSV (RFC 4180, UTF-8, CRLF, a header row; any cell a spreadsheet would run as a formula starts with an apostrophe). Datasets: ${Object.entries(
        datasets,
      )
        .map(([name, d]) => `\`${name}\`: ${d.description}`)
        .join('; ')}. Needs \`read\`.`,
      tags,
      summary: "A program's relationships, meetings or survey responses as CSV",
      middleware: [requireScope('read')] as const,
      request: {
        params: idParams({ programId: 'program' }).extend({
          dataset: z.enum(Object.keys(datasets) as [keyof typeof datasets]),
        }),
      },
      responses: {
        200: {
          description: 'The dataset, streamed',
          content: { 'text/csv': { schema: z.string().max(1_000_000_000) } },
        },
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId, dataset } = c.req.valid('param');
      // Read before the first byte goes out, so an unknown program is a 404, not a broken stream.
      const data: CsvExport = await datasets[dataset].build(tenantContext(c), programId);
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="${programId}-${dataset}.csv"`);
      return streamText(c, csvLines(data));
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/report',
      operationId: 'getProgramReport',
      description:
        "The program report: one HTML page an admin can open or print, with SVG charts of the enrollment funnel, relationships by status, meetings held per month, the change from pre-program to close-out per survey item with 95% confidence intervals, and relationships by health score, and the program's objectives against their targets. Its figures are those of `GET /v1/programs/{programId}/analytics`. Needs `read`.",
      tags,
      summary: 'A printable HTML report of the program',
      middleware: [requireScope('read')] as const,
      request: { params: idParams({ programId: 'program' }) },
      responses: {
        200: {
          description: 'The report',
          content: { 'text/html': { schema: z.string().max(10_000_000) } },
        },
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const report = await programReport(tenantContext(c), c.req.valid('param').programId);
      return c.html(renderProgramReport(report), 200);
    },
  );
}
