import { failMatchRun } from '@tandem/app';
import { type Clock, CursorCodec, type Db, listUnfinishedRuns, tenantStore } from '@tandem/store';
import { createMatchingSteps, FolderBlobStore } from '@tandem/workflows';
import { LocalMatchingRunner, type RunnerLogger } from '@tandem/workflows/definition';
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
  const storesFor = (tenantId: string, clock?: Clock) =>
    tenantStore({ tenant: options.db, platform: options.db }, tenantId, cursors, clock);
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
     * (never leave it running forever). Runs awaiting review need no execution and are kept; a run
     * that was publishing is published to the end.
     */
    async failInterrupted(now: Date): Promise<number> {
      let failed = 0;
      const clock = () => now;
      for (const ref of await listUnfinishedRuns(options.db)) {
        const run = await storesFor(ref.tenantId).matchRuns.get(ref.programId, ref.runId);
        if (run.status === 'publishing') {
          // Publishing is safe to repeat (published proposals count and are not redone): finish it.
          await runner.start({ ...ref, autoPublish: false, dryRun: false, mode: 'publish' });
          continue;
        }
        const interrupted = await failMatchRun(
          { tenantId: ref.tenantId, store: storesFor(ref.tenantId, clock), clock },
          ref,
          { error: 'Interrupted', cause: 'npm start stopped while the run was executing; start a new run' },
          ['queued', 'running'],
        );
        if (interrupted) failed++;
      }
      return failed;
    },
  };
}
