import { describe, expect, it } from 'vitest';
import type { MatchingStep, RunState, StepHandlers } from '../src/matching-run/contract.ts';
import { LocalMatchingRunner, type RunnerLogger } from '../src/matching-run/local-runner.ts';

/** Step handlers that record their calls; `behave` replaces a step's default pass-through. */
function steps(behave: Partial<Record<MatchingStep, (state: RunState) => Promise<RunState>>> = {}) {
  const calls: { step: MatchingStep; state: RunState }[] = [];
  const handler =
    (step: MatchingStep) =>
    async (state: RunState): Promise<RunState> => {
      calls.push({ step, state: structuredClone(state) });
      return behave[step] ? behave[step](state) : state;
    };
  const handlers: StepHandlers = {
    snapshot: handler('snapshot'),
    scoreChunk: handler('scoreChunk'),
    solve: handler('solve'),
    stage: handler('stage'),
    publish: handler('publish'),
    recordFailure: handler('recordFailure'),
  };
  return { handlers, calls, called: () => calls.map((call) => call.step) };
}

function recordingLogger() {
  const entries: { message: string; details: Record<string, unknown> }[] = [];
  const logger: RunnerLogger = {
    info: (message, details) => entries.push({ message, details }),
    warn: (message, details) => entries.push({ message, details }),
  };
  return { logger, entries };
}

let runs = 0;
const run = (flags: Partial<RunState> = {}): RunState => ({
  tenantId: 'ten_local',
  programId: 'prg_local',
  runId: `mrn_${++runs}`,
  autoPublish: false,
  dryRun: false,
  chunks: [],
  ...flags,
});

function runner(handlers: StepHandlers) {
  const { logger, entries } = recordingLogger();
  return { runner: new LocalMatchingRunner(handlers, { retryIntervalMs: 0, logger }), entries };
}

describe('local matching runner', () => {
  it('snapshots, solves and stages, then waits for review', async () => {
    const { handlers, calls, called } = steps();
    const { runner: local, entries } = runner(handlers);
    const state = run();
    const { executionId } = await local.start(state);
    await local.idle();
    expect(called()).toEqual(['snapshot', 'solve', 'stage']);
    expect(calls[0]!.state).toEqual(state);
    expect(entries).toEqual([
      {
        message: 'Matching run execution succeeded',
        details: expect.objectContaining({ executionId, status: 'SUCCEEDED', output: state }),
      },
    ]);
  });

  it('publishes an auto-published run that is not a dry run, with the state the previous step returned', async () => {
    const { handlers, calls, called } = steps({
      stage: async (state) => ({ ...state, runId: `${state.runId}-staged` }),
    });
    const { runner: local } = runner(handlers);
    const state = run({ autoPublish: true });
    await local.start(state);
    await local.idle();
    expect(called()).toEqual(['snapshot', 'solve', 'stage', 'publish']);
    expect(calls[3]!.state.runId).toBe(`${state.runId}-staged`);
  });

  it('does not publish a dry run even when it would auto-publish', async () => {
    const { handlers, called } = steps();
    const { runner: local } = runner(handlers);
    await local.start(run({ autoPublish: true, dryRun: true }));
    await local.idle();
    expect(called()).toEqual(['snapshot', 'solve', 'stage']);
  });

  it('retries a failing step three times, then records the failure with the caught error', async () => {
    const { handlers, calls, called } = steps({
      solve: async () => {
        throw new Error('solver crashed');
      },
    });
    const { runner: local, entries } = runner(handlers);
    const state = run();
    await local.start(state);
    await local.idle();
    expect(called()).toEqual(['snapshot', 'solve', 'solve', 'solve', 'solve', 'recordFailure']);
    expect(calls.at(-1)!.state).toEqual({ ...state, error: { Error: 'Error', Cause: 'solver crashed' } });
    expect(entries).toEqual([
      {
        message: 'Matching run execution failed',
        details: expect.objectContaining({ status: 'FAILED', runId: state.runId }),
      },
    ]);
  });

  it('goes on after a transient failure', async () => {
    let attempts = 0;
    const { handlers, called } = steps({
      snapshot: async (state) => {
        if (++attempts === 1) throw new Error('throttled');
        return state;
      },
    });
    const { runner: local } = runner(handlers);
    await local.start(run());
    await local.idle();
    expect(called()).toEqual(['snapshot', 'snapshot', 'solve', 'stage']);
  });

  it('ends a cancelled run without retrying it or recording a failure', async () => {
    class RunCancelled extends Error {
      override name = 'RunCancelled';
    }
    const { handlers, called } = steps({
      stage: async () => {
        throw new RunCancelled('the admin cancelled the run');
      },
    });
    const { runner: local, entries } = runner(handlers);
    await local.start(run({ autoPublish: true }));
    await local.idle();
    expect(called()).toEqual(['snapshot', 'solve', 'stage']);
    expect(entries.map((entry) => entry.details)).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        output: expect.objectContaining({
          error: { Error: 'RunCancelled', Cause: 'the admin cancelled the run' },
        }),
      }),
    ]);
  });

  it('fails the execution when recording the failure fails too, without crashing the process', async () => {
    const failing = async (): Promise<RunState> => {
      throw new Error('table unavailable');
    };
    const { handlers, called } = steps({ snapshot: failing, recordFailure: failing });
    const { runner: local, entries } = runner(handlers);
    await local.start(run());
    await local.idle();
    expect(called()).toEqual([...Array(4).fill('snapshot'), ...Array(4).fill('recordFailure')]);
    expect(entries.map((entry) => entry.details.status)).toEqual(['FAILED']);
  });

  it('stops an execution: the step in progress finishes, no further step runs', async () => {
    const entered = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    const { handlers, called } = steps({
      snapshot: async (state) => {
        entered.resolve();
        await release.promise;
        return state;
      },
    });
    const { runner: local, entries } = runner(handlers);
    const { executionId } = await local.start(run({ autoPublish: true }));
    await entered.promise;
    await local.stop(executionId);
    let idle = false;
    const settled = local.idle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The aborted execution's snapshot step is still running, so the runner is not idle yet.
    expect(idle).toBe(false);
    release.resolve();
    await settled;
    expect(called()).toEqual(['snapshot']);
    expect(entries.map((entry) => entry.details)).toEqual([
      expect.objectContaining({ executionId, status: 'ABORTED' }),
    ]);
  });

  it('returns the running execution when the same run is started again', async () => {
    const release = Promise.withResolvers<void>();
    const { handlers, called } = steps({
      snapshot: async (state) => {
        await release.promise;
        return state;
      },
    });
    const { runner: local } = runner(handlers);
    const state = run();
    const first = await local.start(state);
    const second = await local.start(state);
    expect(second).toEqual(first);
    release.resolve();
    await local.idle();
    expect(called()).toEqual(['snapshot', 'solve', 'stage']);
  });

  it('runs executions side by side, and is idle with nothing to run', async () => {
    const { handlers, called } = steps();
    const { runner: local } = runner(handlers);
    await local.idle();
    const ids = await Promise.all([run(), run(), run()].map((state) => local.start(state)));
    expect(new Set(ids.map((id) => id.executionId)).size).toBe(3);
    await local.idle();
    expect(called().filter((step) => step === 'stage')).toHaveLength(3);
    await local.stop(ids[0]!.executionId);
  });
});
