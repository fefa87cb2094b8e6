import { assertEnoughToMatch, domainEvent, type MatchRun, type MatchRunInput, newId } from '@tandem/core';
import type { MatchingContext } from '../context.ts';
import { failMatchRun } from './fail-match-run.ts';

/**
 * Starts a matching run over the program's active enrollments: takes the program's single run
 * slot, then starts the workflow. A run whose workflow never started releases the slot at once.
 */
export async function startMatchRun(
  ctx: MatchingContext,
  programId: string,
  options: MatchRunInput,
): Promise<MatchRun> {
  const { store } = ctx;
  const program = await store.programs.get(programId);
  assertEnoughToMatch(program, '/programId');
  const now = ctx.clock().toISOString();
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
  await store.matchRuns.create(
    run,
    domainEvent('match_run.started', { runId: run.id, programId, dryRun: options.dryRun }),
  );
  let executionId: string;
  try {
    ({ executionId } = await ctx.workflows.start({
      tenantId: ctx.tenantId,
      programId,
      runId: run.id,
      autoPublish: program.matching.autoPublish,
      dryRun: options.dryRun,
    }));
  } catch (error) {
    await failMatchRun(
      ctx,
      { programId, runId: run.id },
      { error: 'StartFailed', cause: error instanceof Error ? error.message : String(error) },
      ['queued'],
    );
    throw error;
  }
  await store.matchRuns.setExecution(programId, run.id, executionId);
  return store.matchRuns.get(programId, run.id);
}
