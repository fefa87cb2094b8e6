import type { RunOptions, StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

type Overrides = NonNullable<RunOptions['overrides']>;
type ExecutionInput = Parameters<StateMachine['run']>[0];

/** Where the runner reports how each execution ended. `console` fits, and so does a Powertools logger. */
export interface RunnerLogger {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
}

export interface LocalRunnerOptions {
  /** Wait this long before every retry instead of the definition's backoff (tests use 0). */
  retryIntervalMs?: number;
  logger?: RunnerLogger;
}

/** What one workflow gives the runner: its ASL, its Task handlers by state name, and how executions are named. */
export interface LocalWorkflow<State> {
  /** Names the workflow in execution ids and log messages ("Matching run"). */
  label: string;
  /** The prefix of execution ids (`local:<kind>:<name>`). */
  kind: string;
  /**
   * The ASL, loaded on the first start: rendering it needs aws-cdk-lib, which every process that
   * only imports the runtime (each test file, `npm start` before its first run) would otherwise load.
   */
  loadAsl(): Promise<object>;
  /** Every Task state's handler, by state name: the same function its Lambda runs. */
  tasks: Record<string, (state: State) => Promise<State>>;
  executionName(state: State): string;
  /** What each log line names of the execution besides its id. */
  describe(state: State): Record<string, unknown>;
}

/**
 * Runs a workflow under `npm start`: the ASL that CDK synthesizes for AWS, interpreted by
 * aws-local-stepfunctions, with every Task state overridden by the step's handler. Retries,
 * Catch, Choice and Wait behave as they do in Step Functions. One runner class serves every
 * state machine; each workflow only says what differs (see LocalWorkflow).
 */
export class LocalStateMachineRunner<State> {
  private machine: Promise<StateMachine> | undefined;
  private readonly overrides: Overrides;
  private readonly logger: RunnerLogger;
  /** Abort functions of the executions still running, by execution id. */
  private readonly running = new Map<string, () => void>();
  /** Executions and handler calls not settled yet: an aborted execution's current step still finishes. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly workflow: LocalWorkflow<State>,
    { retryIntervalMs, logger = console }: LocalRunnerOptions = {},
  ) {
    this.logger = logger;
    const stateNames = Object.keys(workflow.tasks);
    this.overrides = {
      taskResourceLocalHandlers: Object.fromEntries(
        Object.entries(workflow.tasks).map(([name, handler]) => [
          name,
          // States are plain JSON; only their declared interfaces lack JSONValue's index signature.
          async (input: ExecutionInput) =>
            (await this.track(handler(input as unknown as State))) as unknown as ExecutionInput,
        ]),
      ),
      ...(retryIntervalMs === undefined
        ? {}
        : { retryIntervalOverrides: Object.fromEntries(stateNames.map((name) => [name, retryIntervalMs])) }),
    };
  }

  /**
   * Starts an execution in the background and returns at once. Like StartExecution with the same
   * name and input, starting an execution that is still running returns the running one.
   */
  async start(state: State): Promise<{ executionId: string }> {
    const executionId = `local:${this.workflow.kind}:${this.workflow.executionName(state)}`;
    const machine = await this.loadMachine();
    if (this.running.has(executionId)) return { executionId };
    const { abort, result } = machine.run(state as unknown as ExecutionInput, {
      overrides: this.overrides,
      noThrowOnAbort: true,
    });
    this.running.set(executionId, abort);
    const details = { executionId, ...this.workflow.describe(state) };
    const label = this.workflow.label;
    // A failed execution is an ordinary outcome (the failure is recorded on the workflow's item), so
    // it is logged, never left as a rejected promise that would end the process.
    this.track(
      result
        .then(
          (output) =>
            output === null
              ? this.logger.info(`${label} execution stopped`, { ...details, status: 'ABORTED' })
              : this.logger.info(`${label} execution succeeded`, { ...details, status: 'SUCCEEDED', output }),
          (error: unknown) =>
            this.logger.warn(`${label} execution failed`, {
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

  /** The interpreter and the ASL, loaded once, on the first start (see LocalWorkflow.loadAsl). */
  private loadMachine(): Promise<StateMachine> {
    this.machine ??= Promise.all([import('aws-local-stepfunctions'), this.workflow.loadAsl()]).then(
      ([{ StateMachine }, asl]) => new StateMachine(asl as StateMachineDefinition),
    );
    // A failed load (a broken definition) is reported by this start and tried again by the next.
    this.machine.catch(() => {
      this.machine = undefined;
    });
    return this.machine;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const settle = () => this.pending.delete(promise);
    promise.then(settle, settle);
    return promise;
  }
}
