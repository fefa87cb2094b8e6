import { type LocalRunnerOptions, LocalStateMachineRunner } from '../local-runner.ts';
import { synthesizeMatchingAsl } from './asl.ts';
import {
  executionName,
  matchingSteps,
  type RunState,
  type StepHandlers,
  type WorkflowStarter,
} from './contract.ts';
import { matchingTaskStateNames } from './definition.ts';

export type { RunnerLogger } from '../local-runner.ts';
export type LocalMatchingRunnerOptions = LocalRunnerOptions;

/**
 * Runs matching runs under `npm start`: the synthesized matching-run ASL on the shared local
 * runner, with every Task state overridden by the step's handler, the same function each step's
 * Lambda runs.
 */
export class LocalMatchingRunner extends LocalStateMachineRunner<RunState> implements WorkflowStarter {
  constructor(handlers: StepHandlers, options: LocalMatchingRunnerOptions = {}) {
    super(
      {
        label: 'Matching run',
        kind: 'matching-run',
        asl: synthesizeMatchingAsl(),
        tasks: Object.fromEntries(
          matchingSteps.map((step) => [matchingTaskStateNames[step], handlers[step]]),
        ),
        executionName,
        describe: (state) => ({ tenantId: state.tenantId, runId: state.runId }),
      },
      options,
    );
  }
}
