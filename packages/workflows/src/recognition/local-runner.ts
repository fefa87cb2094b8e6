import { type LocalRunnerOptions, LocalStateMachineRunner } from '../local-runner.ts';
import {
  type RecognitionStarter,
  type RecognitionState,
  type RecognitionStepHandlers,
  recognitionExecutionName,
  recognitionSteps,
  recognitionTaskStateNames,
} from './contract.ts';

/** Runs recognition workflows under `npm start`: the synthesized ASL on the shared local runner. */
export class LocalRecognitionRunner
  extends LocalStateMachineRunner<RecognitionState>
  implements RecognitionStarter
{
  constructor(handlers: RecognitionStepHandlers, options: LocalRunnerOptions = {}) {
    super(
      {
        label: 'Recognition',
        kind: 'recognition',
        loadAsl: async () => (await import('./asl.ts')).synthesizeRecognitionAsl(),
        tasks: Object.fromEntries(
          recognitionSteps.map((step) => [recognitionTaskStateNames[step], handlers[step]]),
        ),
        executionName: recognitionExecutionName,
        describe: (state) => ({ tenantId: state.tenantId, awardId: state.awardId }),
      },
      options,
    );
  }
}
