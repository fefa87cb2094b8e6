import { domainEvent, runningStep } from '@tandem/core';
import { CursorCodec, type Db, listUnfinishedRuns, RunNotActiveError, tenantStore } from '@tandem/store';
import {
  createMatchingSteps,
  FolderBlobStore,
  LocalMatchingRunner,
  type RunnerLogger,
} from '@tandem/workflows';

export interface LocalMatchingOptions {
  db: Db;
  cursorSecret: string;
  /** Where snapshots and solver results go between steps (S3's role in AWS). */
  blobDir: string;
  logger?: RunnerLogger;
  retryIntervalMs?: number;
  /** Rows per ScoreChunk task of the Score map (default `defaultChunkRows`); tests use tiny chunks. */
  chunkRows?: number;
  /** Mentees from which chunked runs select under a sample's prices (`StepDeps.sampleFrom`). */
  sampleFrom?: number;
}

/**
 * Matching runs under `npm start`: the state machine CDK synthesizes, run by the local runner
 * with the same step handlers the Lambda functions run.
 */
export function createLocalMatching(options: LocalMatchingOptions) {
  const cursors = new CursorCodec(options.cursorSecret);
  const storesFor = (tenantId: string) =>
    tenantStore({ tenant: options.db, platform: options.db }, tenantId, cursors);
  const runner = new LocalMatchingRunner(
    createMatchingSteps({
      storesFor,
      blobs: new FolderBlobStore(options.blobDir),
      ...(options.chunkRows ? { chunkRows: options.chunkRows } : {}),
      ...(options.sampleFrom !== undefined ? { sampleFrom: options.sampleFrom } : {}),
    }),
    {
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    },
  );

  return {
    starter: runner,
    runner,
    /**
     * A run that was executing when npm start stopped has no execution any more: mark it failed
     * (never leave it running forever). Runs awaiting review need no execution and are kept.
     */
    async failInterrupted(now: Date): Promise<number> {
      let failed = 0;
      for (const ref of await listUnfinishedRuns(options.db)) {
        const store = storesFor(ref.tenantId);
        const run = await store.matchRuns.get(ref.programId, ref.runId);
        if (run.status !== 'queued' && run.status !== 'running') continue;
        const step = runningStep(run);
        try {
          await store.matchRuns.transition(
            run,
            ['queued', 'running'],
            'failed',
            {
              failure: {
                ...(step ? { step } : {}),
                error: 'Interrupted',
                cause: 'npm start stopped while the run was executing; start a new run',
              },
            },
            now.toISOString(),
            domainEvent(
              'match_run.failed',
              ref.tenantId,
              { runId: run.id, programId: run.programId, error: 'Interrupted' },
              now,
            ),
            step ? { step, status: 'failed' } : undefined,
          );
          failed++;
        } catch (error) {
          if (!(error instanceof RunNotActiveError)) throw error;
        }
      }
      return failed;
    },
  };
}
