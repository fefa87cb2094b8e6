import { type LocalRunnerOptions, LocalStateMachineRunner } from '../local-runner.ts';
import {
  executionName,
  matchingSteps,
  matchingTaskStateNames,
  type RunState,
  type StepHandlers,
  type WorkflowStarter,
} from './contract.ts';

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
        loadAsl: async () => (await import('./asl.ts')).synthesizeMatchingAsl(),
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
