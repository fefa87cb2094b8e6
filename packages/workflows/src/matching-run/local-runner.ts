import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { synthesizeMatchingAsl } from './asl.ts';
import {
  executionName,
  matchingSteps,
  type RunState,
  type StepHandlers,
  type WorkflowStarter,
} from './contract.ts';
import { matchingTaskStateNames } from './definition.ts';

type Overrides = NonNullable<RunOptions['overrides']>;
type ExecutionInput = Parameters<StateMachine['run']>[0];

/** Where the runner reports how each execution ended. `console` fits, and so does a Powertools logger. */
export interface RunnerLogger {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
}

export interface LocalMatchingRunnerOptions {
  /** Wait this long before every retry instead of the definition's backoff (tests use 0). */
  retryIntervalMs?: number;
  logger?: RunnerLogger;
}

/**
 * Runs matching runs under `npm start`: the ASL that CDK synthesizes for AWS, interpreted by
 * aws-local-stepfunctions, with every Task state overridden by the step's handler, the same
 * function each step's Lambda runs. Retries, the Catch into RecordFailure and the Choice behave
 * as they do in Step Functions.
 */
export class LocalMatchingRunner implements WorkflowStarter {
  private readonly machine: StateMachine;
  private readonly overrides: Overrides;
  private readonly logger: RunnerLogger;
  /** Abort functions of the executions still running, by execution id. */
  private readonly running = new Map<string, () => void>();
  /** Executions and handler calls not settled yet: an aborted execution's current step still finishes. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    handlers: StepHandlers,
    { retryIntervalMs, logger = console }: LocalMatchingRunnerOptions = {},
  ) {
    this.machine = new StateMachine(synthesizeMatchingAsl() as StateMachineDefinition);
    this.logger = logger;
    const stateNames = matchingSteps.map((step) => matchingTaskStateNames[step]);
    this.overrides = {
      taskResourceLocalHandlers: Object.fromEntries(
        matchingSteps.map((step) => [
          matchingTaskStateNames[step],
          // RunState is plain JSON; only its declared interface lacks JSONValue's index signature.
          async (input: ExecutionInput) =>
            (await this.track(handlers[step](input as unknown as RunState))) as unknown as ExecutionInput,
        ]),
      ),
      ...(retryIntervalMs === undefined
        ? {}
        : { retryIntervalOverrides: Object.fromEntries(stateNames.map((name) => [name, retryIntervalMs])) }),
    };
  }

  /**
   * Starts an execution in the background and returns at once. Like StartExecution with the same
   * name and input, starting a run that is still executing returns the running execution.
   */
  async start(state: RunState): Promise<{ executionId: string }> {
    const executionId = `local:matching-run:${executionName(state)}`;
    if (this.running.has(executionId)) return { executionId };
    const { abort, result } = this.machine.run(state as unknown as ExecutionInput, {
      overrides: this.overrides,
      noThrowOnAbort: true,
    });
    this.running.set(executionId, abort);
    const details = { executionId, tenantId: state.tenantId, runId: state.runId };
    // A failed execution is an ordinary outcome (RecordFailure has marked the run), so it is logged,
    // never left as a rejected promise that would end the process.
    this.track(
      result
        .then(
          (output) =>
            output === null
              ? this.logger.info('Matching run execution stopped', { ...details, status: 'ABORTED' })
              : this.logger.info('Matching run execution succeeded', {
                  ...details,
                  status: 'SUCCEEDED',
                  output,
                }),
          (error: unknown) =>
            this.logger.warn('Matching run execution failed', {
              ...details,
              status: 'FAILED',
              error: error instanceof Error ? error.message : String(error),
            }),
        )
        .finally(() => this.running.delete(executionId)),
    );
    return { executionId };
  }

  /** Like StopExecution: no further state runs; the step in progress finishes. Unknown or ended ids are ignored. */
  async stop(executionId: string): Promise<void> {
    this.running.get(executionId)?.();
  }

  /** Resolves once no execution and no step handler is running (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const settle = () => this.pending.delete(promise);
    promise.then(settle, settle);
    return promise;
  }
}
