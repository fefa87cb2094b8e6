/**
 * The contract between the recognition state machine (its definition, the local runner, the AWS
 * starter) and the logic of its steps. Only this small reference flows between states; the
 * certificate goes to the blob store and the award item records progress and failures.
 */
import type { RecognitionDecision, RecognitionStart } from '@tandem/app';

export type { RecognitionStart, RecognitionStarter } from '@tandem/app';

export interface RecognitionState extends RecognitionStart {
  /** Set by Evaluate, read by the Decision choice. */
  decision?: RecognitionDecision;
  /** Set by Grant: the award type carries a certificate. */
  certificate?: boolean;
  /** Set by the Catch (ResultPath `$.error`) before RecordFailure runs. */
  error?: { Error: string; Cause?: string };
  /** Set by the failed step's Pass state, so the award item says which step failed. */
  failedStep?: RecognitionStep;
}

/** The Task states, in order. Each is one Lambda function in AWS and one local handler under npm start. */
export const recognitionSteps = ['evaluate', 'grant', 'certify', 'announce', 'recordFailure'] as const;
export type RecognitionStep = (typeof recognitionSteps)[number];

export type RecognitionStepHandler = (state: RecognitionState) => Promise<RecognitionState>;
export type RecognitionStepHandlers = Record<RecognitionStep, RecognitionStepHandler>;

/**
 * The execution's name: the nomination's (its approval starts `<nomination>-decided`), or the
 * award's for a milestone, so a repeated start is the same execution.
 */
export const recognitionExecutionName = (state: RecognitionStart) =>
  state.nominationId ? `${state.nominationId}${state.mode === 'decided' ? '-decided' : ''}` : state.awardId;

/**
 * The Task state of each step. These names are part of the contract: the local runner overrides
 * Task states by name, and they appear in the execution history and logs. Do not rename them.
 */
export const recognitionTaskStateNames = {
  evaluate: 'Evaluate',
  grant: 'Grant',
  certify: 'Certify',
  announce: 'Announce',
  recordFailure: 'RecordFailure',
} as const satisfies Record<RecognitionStep, string>;
