import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  cancelMatchRun,
  decideProposals,
  listMatchRuns,
  listProposals,
  requestPublish,
  startMatchRun,
} from '@tandem/app';
import { matchRun, matchRunInput, proposal, proposalDecision } from '@tandem/core';
import { type AppEnv, tenantContext } from '../env.ts';
import { idempotency, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonBody,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Matching runs'];
const programParams = idParams({ programId: 'program' });
const params = idParams({ programId: 'program', runId: 'matchRun' });

const decisionResult = z
  .object({
    approved: z.int().meta({ description: 'Proposals this request approved by id' }),
    rejected: z.int().meta({ description: 'Proposals this request rejected' }),
    approveAll: z.boolean().meta({
      description: 'Whether every proposal without an explicit decision now counts as approved',
    }),
  })
  .meta({ id: 'ProposalDecisionResult' });

export function registerMatchRunRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/match-runs',
      operationId: 'startMatchRun',
      description:
        "Starts a matching run over the program's active enrollments. The run proceeds in the background: poll it until `awaiting_review` (or `published` with autoPublish). One unfinished run per program at a time (409 otherwise). Needs `programs:write`.",
      tags,
      summary: "Start a matching run over the program's active enrollments (one run at a time per program)",
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params: programParams, headers: idempotencyHeaders, ...jsonBody(matchRunInput) },
      responses: { 202: jsonResponse(matchRun, 'Started'), ...problemResponses(...commonProblems, 404, 409) },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const run = await startMatchRun(tenantContext(c), programId, c.req.valid('json'));
      c.header('location', `/v1/programs/${programId}/match-runs/${run.id}`);
      return c.json(run, 202);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/match-runs',
      operationId: 'listMatchRuns',
      description: "Lists a program's matching runs, newest first. Needs `read` or `programs:write`.",
      tags,
      summary: "A program's matching runs, newest first",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params: programParams, query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(matchRun, 'MatchRunPage'), 'A page of runs'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      return c.json(await listMatchRuns(tenantContext(c), programId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/match-runs/{runId}',
      operationId: 'getMatchRun',
      description:
        "Returns a run's status, progress per step, timings and totals, and the failing step and cause when it failed. Needs `read` or `programs:write`.",
      tags,
      summary: 'A run: status, progress per step, timings, totals, and the cause when it failed',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: { 200: jsonResponse(matchRun, 'The run'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      return c.json(await c.get('store').matchRuns.get(programId, runId), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/match-runs/{runId}/proposals',
      operationId: 'listProposals',
      description:
        "Lists a run's proposals: pairs or circles with their score and explanation, and the participants left unmatched with the reason. Needs `read` or `programs:write`.",
      tags,
      summary: 'Proposed pairs or circles with score and explanation, and the unmatched with their reason',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params, query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(proposal, 'ProposalPage'), 'A page of proposals'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      return c.json(await listProposals(tenantContext(c), programId, runId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/match-runs/{runId}/decisions',
      operationId: 'decideProposals',
      description:
        'Records the admin\'s review of a run awaiting review: approve all or listed proposals, reject others. Every id is checked before anything is written, so one unknown id refuses the whole request (422). `approve: "all"` marks every proposal without an explicit decision approved in one step, whatever the size of the run. Rejected pairs are not proposed again in this program. Needs `programs:write`.',
      tags,
      summary:
        'Approve all or some proposals and reject some (rejected pairs are never proposed again in this program)',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(proposalDecision) },
      responses: {
        200: jsonResponse(decisionResult, 'What the request decided; read the proposals page by page'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      return c.json(await decideProposals(tenantContext(c), programId, runId, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/match-runs/{runId}/publish',
      operationId: 'publishMatchRun',
      description:
        'Claims a reviewed run for publishing (it moves to `publishing`; a concurrent publish gets 409) and answers at once. The workflow then turns the approved proposals into active relationships, each checked against current capacity; proposals that no longer fit are skipped with a reason. The run reaches `published` with its `publication` (relationships created, proposals skipped). Needs `programs:write`.',
      tags,
      summary:
        'Publish the approved proposals as relationships: the run moves to publishing at once, and to published with its outcome when done',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        202: jsonResponse(matchRun, 'Publishing: the run, now publishing; poll it until published'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      c.header('location', `/v1/programs/${programId}/match-runs/${runId}`);
      return c.json(await requestPublish(tenantContext(c), programId, runId), 202);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/match-runs/{runId}/cancel',
      operationId: 'cancelMatchRun',
      description:
        'Cancels a run that is still running or awaiting review; a finished run is 409. Needs `programs:write`.',
      tags,
      summary: 'Cancel a run that has not finished',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        200: jsonResponse(matchRun, 'The cancelled run'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      return c.json(await cancelMatchRun(tenantContext(c), programId, runId), 200);
    },
  );
}
