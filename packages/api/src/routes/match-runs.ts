import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  assertAwaitingReview,
  assertCancellable,
  domainEvent,
  InvalidInputError,
  type MatchRun,
  matchRun,
  matchRunInput,
  newId,
  proposal,
  proposalDecision,
} from '@tandem/core';
import { publishRun } from '@tandem/workflows/runtime';
import { type AppEnv, nowOf } from '../env.ts';
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

const publishResult = z
  .object({
    run: matchRun,
    relationships: z.array(z.string()).meta({ description: 'Ids of the relationships created' }),
    skipped: z.array(z.object({ proposalId: z.string(), reason: z.string() })).meta({
      description: 'Approved proposals that no longer fit (a member withdrew or was matched meanwhile)',
    }),
  })
  .meta({ id: 'MatchRunPublished' });

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
      const options = c.req.valid('json');
      const store = c.get('store');
      const program = await store.programs.get(programId);
      if (program.activeEnrollments < 2)
        throw new InvalidInputError('A matching run needs at least two active enrollments', [
          { field: 'programId', message: `only ${program.activeEnrollments} active enrollment(s)` },
        ]);
      const now = nowOf(c).toISOString();
      const run: MatchRun = {
        id: newId('matchRun'),
        programId,
        status: 'queued',
        options,
        format: options.format ?? program.format,
        progress: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const tenantId = c.get('tenantId');
      await store.matchRuns.create(
        run,
        domainEvent('match_run.started', tenantId, { runId: run.id, programId, dryRun: options.dryRun }),
      );
      let executionId: string;
      try {
        ({ executionId } = await c.get('deps').matching.starter.start({
          tenantId,
          programId,
          runId: run.id,
          autoPublish: program.matching.autoPublish,
          dryRun: options.dryRun,
        }));
      } catch (error) {
        // A run that never started must not hold the program's run slot.
        await store.matchRuns.transition(
          run,
          ['queued'],
          'failed',
          {
            failure: { error: 'StartFailed', cause: error instanceof Error ? error.message : String(error) },
          },
          nowOf(c).toISOString(),
          domainEvent('match_run.failed', tenantId, { runId: run.id, programId, error: 'StartFailed' }),
        );
        throw error;
      }
      await store.matchRuns.setExecution(programId, run.id, executionId);
      c.header('location', `/v1/programs/${programId}/match-runs/${run.id}`);
      return c.json(await store.matchRuns.get(programId, run.id), 202);
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
      const store = c.get('store');
      await store.programs.get(programId);
      return c.json(await store.matchRuns.list(programId, c.req.valid('query')), 200);
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
      const store = c.get('store');
      await store.matchRuns.get(programId, runId);
      return c.json(await store.matchRuns.listProposals(runId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/match-runs/{runId}/decisions',
      operationId: 'decideProposals',
      description:
        "Records the admin's review of a run awaiting review: approve all or listed proposals, reject others. Rejected pairs are not proposed again in this program. Needs `programs:write`.",
      tags,
      summary:
        'Approve all or some proposals and reject some (rejected pairs are never proposed again in this program)',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(proposalDecision) },
      responses: {
        200: jsonResponse(pageOf(proposal, 'DecidedProposals'), 'The proposals after the decisions'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      const { approve, reject } = c.req.valid('json');
      const store = c.get('store');
      assertAwaitingReview(await store.matchRuns.get(programId, runId));
      const proposals = await store.matchRuns.allProposals(runId);
      const byId = new Map(proposals.map((p) => [p.id, p]));
      const rejected = new Set(reject ?? []);
      const approved =
        approve === 'all' ? proposals.map((p) => p.id).filter((id) => !rejected.has(id)) : (approve ?? []);
      const decide = async (ids: Iterable<string>, decision: 'approved' | 'rejected', field: string) => {
        let i = 0;
        for (const id of ids) {
          const found = byId.get(id);
          if (!found || found.kind === 'unmatched')
            throw new InvalidInputError(`No proposed pair or circle ${id} in run ${runId}`, [
              { field: `/${field}/${i}`, message: 'not a pair or circle of this run' },
            ]);
          await store.matchRuns.decide(programId, runId, found, decision);
          i++;
        }
      };
      await decide(
        approved.filter((id) => byId.get(id)?.kind !== 'unmatched'),
        'approved',
        'approve',
      );
      await decide(rejected, 'rejected', 'reject');
      const items = await store.matchRuns.allProposals(runId);
      return c.json({ items, nextCursor: null }, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/match-runs/{runId}/publish',
      operationId: 'publishMatchRun',
      description:
        'Turns the approved proposals of a reviewed run into active relationships, each checked against current capacity in its own transaction; proposals that no longer fit are skipped with a reason. Needs `programs:write`.',
      tags,
      summary: 'Publish the approved proposals as relationships (capacity-checked, one transaction each)',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        200: jsonResponse(publishResult, 'Published'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, runId } = c.req.valid('param');
      const store = c.get('store');
      const run = await store.matchRuns.get(programId, runId);
      assertAwaitingReview(run);
      if (run.options.dryRun)
        throw new InvalidInputError('A dry run is never published; start a run without dryRun');
      const approved = (await store.matchRuns.allProposals(runId)).filter((p) => p.decision === 'approved');
      const outcome = await publishRun(store, c.get('tenantId'), run, approved, nowOf(c));
      return c.json({ run: await store.matchRuns.get(programId, runId), ...outcome }, 200);
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
      const store = c.get('store');
      const run = await store.matchRuns.get(programId, runId);
      assertCancellable(run);
      const now = nowOf(c).toISOString();
      await store.matchRuns.transition(
        run,
        ['queued', 'running', 'awaiting_review'],
        'cancelled',
        {},
        now,
        domainEvent('match_run.cancelled', c.get('tenantId'), { runId, programId }),
      );
      if (run.executionId) await c.get('deps').matching.starter.stop(run.executionId);
      return c.json(await store.matchRuns.get(programId, runId), 200);
    },
  );
}
