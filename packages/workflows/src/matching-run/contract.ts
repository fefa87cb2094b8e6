/**
 * The contract between the matching-run state machine (its definition, the local runner, the
 * AWS starter) and the logic of its steps. The state machine passes only this small reference
 * between states (the 256 KB payload limit); large data lives in the blob store and the table.
 */
import type { MatchRunStart } from '@tandem/app';

export type { WorkflowStarter } from '@tandem/app';

export interface RunRef {
  tenantId: string;
  programId: string;
  runId: string;
}

/** Rows [from, to) of a program's candidate selection (see `candidateChunkRanges` in @tandem/matching). */
export interface RowRange {
  from: number;
  to: number;
}

/**
 * What flows between states: the reference plus the flags the Choice states read (`mode` publish
 * goes straight to Publish, for a run an admin reviewed).
 */
export interface RunState extends MatchRunStart {
  /**
   * Set by Snapshot: the row ranges the Score map scores in parallel, empty when the program is
   * small enough (or of a format) for Solve to select candidates itself.
   */
  chunks?: RowRange[];
  /** The one range a ScoreChunk task scores, set by the map's ItemSelector. */
  chunk?: RowRange;
  /** Set by a Catch (ResultPath `$.error`) before RecordFailure runs. */
  error?: { Error: string; Cause?: string };
}

/** The Task states, in order. Each is one Lambda function in AWS and one local handler under npm start. */
export const matchingSteps = [
  'snapshot',
  'scoreChunk',
  'solve',
  'stage',
  'publish',
  'recordFailure',
] as const;
export type MatchingStep = (typeof matchingSteps)[number];

export type StepHandler = (state: RunState) => Promise<RunState>;
export type StepHandlers = Record<MatchingStep, StepHandler>;

/** Large intermediate results (the enrollment snapshot, the solver's result) and certificates: S3 in AWS, a folder locally. */
export interface BlobStore {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T>;
}

/** Files kept as they are (certificates), in the same stores. */
export interface ByteBlobStore {
  putBytes(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  getBytes(key: string): Promise<Uint8Array>;
}

/**
 * The execution's name: one per run for matching, and one more when an admin publishes it, so
 * starting either twice returns the same execution (as StartExecution does for a repeated name).
 */
export const executionName = (run: Pick<RunState, 'runId' | 'mode'>) =>
  run.mode === 'publish' ? `${run.runId}-publish` : run.runId;

/**
 * The Task state of each step. These names are part of the contract: the local runner overrides
 * Task states by name, and they appear in the execution history and logs. Do not rename them.
 */
export const matchingTaskStateNames = {
  snapshot: 'Snapshot',
  scoreChunk: 'ScoreChunk',
  solve: 'Solve',
  stage: 'Stage',
  publish: 'Publish',
  recordFailure: 'RecordFailure',
} as const satisfies Record<MatchingStep, string>;
