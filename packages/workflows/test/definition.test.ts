import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { synthesizeMatchingAsl } from '../src/matching-run/asl.ts';
import { matchingSteps, matchingTaskStateNames } from '../src/matching-run/contract.ts';
import { matchingRunStateNames, runCancelledError } from '../src/matching-run/definition.ts';

const asl = synthesizeMatchingAsl() as { StartAt: string; States: Record<string, any> };
/** The Score map's own states: one ScoreChunk task per row range. */
const scoreStates: Record<string, any> = asl.States.Score.ItemProcessor.States;
const allStates: Record<string, any> = { ...asl.States, ...scoreStates };
const tasks = Object.entries(allStates).filter(([, state]) => state.Type === 'Task');
const { recordFailure, scoreChunk, ...guardedSteps } = matchingTaskStateNames;
const cancelledOrRecorded = [
  { ErrorEquals: [runCancelledError], ResultPath: '$.error', Next: 'Cancelled' },
  { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: recordFailure },
];

/** Transient failures retried with backoff; a cancelled run is never retried. */
function expectRetries(name: string, Retry: any[]) {
  const all = Retry.findIndex((retrier: any) => retrier.ErrorEquals.includes('States.ALL'));
  expect(all, name).toBe(Retry.length - 1);
  expect(Retry[all]).toEqual({
    ErrorEquals: ['States.ALL'],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
  });
  const cancelled = Retry.findIndex((retrier: any) => retrier.ErrorEquals.includes(runCancelledError));
  expect(cancelled, name).toBeGreaterThanOrEqual(0);
  expect(cancelled, name).toBeLessThan(all);
  expect(Retry[cancelled].MaxAttempts).toBe(0);
}

describe('matching-run definition', () => {
  it('is valid Amazon States Language in JSONPath', () => {
    // The validator annotates the definition it checks, so it gets a copy.
    const { isValid, errorsText } = aslValidator(structuredClone(asl));
    expect(isValid, errorsText('\n')).toBe(true);
    expect(JSON.stringify(asl)).not.toMatch(/JSONata|\.waitForTaskToken|"ItemReader"/);
  });

  it('names one Task state per step, as the exported constant says', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(
      matchingSteps.map((s) => matchingTaskStateNames[s]).sort(),
    );
    expect(Object.keys(asl.States).sort()).toEqual(
      [
        ...Object.values(matchingTaskStateNames).filter((name) => name !== scoreChunk),
        ...Object.values(matchingRunStateNames),
      ].sort(),
    );
    expect(Object.keys(scoreStates)).toEqual([scoreChunk]);
  });

  it('starts an admin-requested publish at Publish, and everything else at Snapshot', () => {
    expect(asl.StartAt).toBe('Mode');
    expect(asl.States.Mode).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.mode', IsPresent: true },
            { Variable: '$.mode', StringEquals: 'publish' },
          ],
          Next: 'Publish',
        },
      ],
      Default: 'Snapshot',
    });
  });

  it('runs Snapshot → Score → Solve → Stage → ShouldPublish, and publishes only auto-published real runs', () => {
    expect(asl.States.Snapshot.Next).toBe('Score');
    expect(asl.States.Score.Next).toBe('Solve');
    expect(asl.States.Solve.Next).toBe('Stage');
    expect(asl.States.Stage.Next).toBe('ShouldPublish');
    expect(asl.States.ShouldPublish).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.autoPublish', BooleanEquals: true },
            { Variable: '$.dryRun', BooleanEquals: false },
          ],
          Next: 'Publish',
        },
      ],
      Default: 'AwaitingReview',
    });
    expect(asl.States.Publish.Next).toBe('Published');
    expect(asl.States.Published.Type).toBe('Succeed');
    expect(asl.States.AwaitingReview.Type).toBe('Succeed');
    expect(asl.States.Cancelled.Type).toBe('Succeed');
    expect(asl.States.RecordFailure.Next).toBe('Failed');
    expect(asl.States.Failed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error' });
  });

  it('passes the whole state in and takes the handler’s result as the output of every step', () => {
    for (const [name, state] of tasks) {
      expect(state.Resource, name).toMatch(/^arn:aws:lambda:/);
      expect(state.Parameters, name).toBeUndefined();
      expect(state.ResultSelector, name).toBeUndefined();
      expect(state.TimeoutSeconds, name).toBeGreaterThan(60);
    }
    for (const name of [...Object.values(guardedSteps), scoreChunk])
      expect(allStates[name].ResultPath).toBeUndefined();
    // RecordFailure keeps its input, so the Fail state can name the caught error.
    expect(asl.States.RecordFailure.ResultPath).toBeNull();
  });

  it('retries every step with backoff, then records the failure; a cancelled run ends at once', () => {
    for (const name of Object.values(guardedSteps)) {
      const { Retry, Catch } = asl.States[name];
      expectRetries(name, Retry);
      expect(Catch, name).toEqual(cancelledOrRecorded);
    }
    // A chunk retries on its own; the map catches what still fails, as a guarded step does.
    expectRetries(scoreChunk, scoreStates[scoreChunk].Retry);
    expect(scoreStates[scoreChunk].Catch).toBeUndefined();
    expect(asl.States.Score.Catch).toEqual(cancelledOrRecorded);
  });

  it('scores the row ranges Snapshot planned in parallel, each chunk with the run reference, and keeps the state', () => {
    expect(asl.States.Score).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.chunks',
      ResultPath: null,
      MaxConcurrency: 10,
      ItemSelector: {
        'tenantId.$': '$.tenantId',
        'programId.$': '$.programId',
        'runId.$': '$.runId',
        'chunk.$': '$$.Map.Item.Value',
      },
    });
    expect(asl.States.Score.ItemProcessor.StartAt).toBe(scoreChunk);
    expect(scoreStates[scoreChunk].End).toBe(true);
  });

  it('retries RecordFailure but catches nothing there, so a failure to record fails the execution', () => {
    const state = asl.States[recordFailure];
    expect(state.Retry.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], MaxAttempts: 3 });
    expect(state.Catch).toBeUndefined();
  });
});
