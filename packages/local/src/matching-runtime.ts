import { failMatchRun } from '@tandem/app';
import { type Clock, CursorCodec, type Db, listUnfinishedRuns, noSecrets } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { LocalMatchingRunner, type RunnerLogger } from '@tandem/workflows/local';
import { workerStepHandlers } from './worker-steps.ts';

export interface LocalMatchingOptions {
  db: Db;
  /** DynamoDB Local's endpoint: the step worker opens its own client on it. */
  endpoint: string;
  cursorSecret: string | readonly string[];
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
 * with the same step handlers the Lambda functions run. The handlers run in a worker thread, as
 * they run in their own Lambda functions in AWS, so a long solve never stalls the API.
 */
export function createLocalMatching(options: LocalMatchingOptions) {
  const cursors = new CursorCodec(options.cursorSecret);
  const storesFor = (tenantId: string, clock?: Clock) =>
    tenantStore({ tenant: options.db, platform: options.db, sealer: noSecrets }, tenantId, cursors, clock);
  const steps = workerStepHandlers({
    endpoint: options.endpoint,
    tableName: options.db.tableName,
    cursorSecret: options.cursorSecret,
    blobDir: options.blobDir,
    chunkRows: options.chunkRows,
    sampleFrom: options.sampleFrom,
  });
  const runner = new LocalMatchingRunner(steps.handlers, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
  });

  return {
    starter: runner,
    runner,
    /** Ends the step worker (after runner.idle(), nothing is left for it to do). */
    close: steps.close,
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
