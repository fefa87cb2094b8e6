import { RUN_CANCELLED } from '@tandem/core';
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  JsonPath,
  Map as MapState,
  Succeed,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { type MatchingStep, matchingTaskStateNames } from './contract.ts';

/** The other states of the machine, named for the execution history. */
export const matchingRunStateNames = {
  mode: 'Mode',
  score: 'Score',
  shouldPublish: 'ShouldPublish',
  published: 'Published',
  awaitingReview: 'AwaitingReview',
  cancelled: 'Cancelled',
  failed: 'Failed',
} as const;

/**
 * The error a step throws when it finds its run cancelled (Step Functions and the local runner
 * match the error's `name`). Retrying cannot help, and it is no failure: the run item already says
 * cancelled, so the execution ends in the Cancelled state without RecordFailure and without
 * counting as a failed execution (which raises an alarm).
 */
export const runCancelledError = RUN_CANCELLED;

/**
 * How long each step may run: the Lambda timeout in AWS. The Task timeout adds headroom so that a
 * function's own timeout is what the run records; locally the Task timeout bounds the handler
 * (the runner's default would be 60 s, too short for a large solve).
 */
export const matchingStepTimeouts: Record<MatchingStep, Duration> = {
  snapshot: Duration.minutes(5),
  scoreChunk: Duration.minutes(5),
  solve: Duration.minutes(15),
  stage: Duration.minutes(5),
  publish: Duration.minutes(5),
  recordFailure: Duration.minutes(1),
};
const taskTimeoutHeadroom = Duration.seconds(30);

/** Chunks scored at once: each loads the snapshot and holds the program compiled in memory. */
export const scoreConcurrency = 10;

/** The transient-failure retry of every Task: 1 s, 2 s, 4 s. */
const retry = { errors: [Errors.ALL], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 };

/**
 * The matching-run state machine, one Lambda function per step:
 * Mode (an admin's publish goes straight to Publish) → Snapshot → Score (a Map of ScoreChunk tasks over the row ranges Snapshot planned, none for small
 * programs) → Solve → Stage → ShouldPublish → Publish → Published, or AwaitingReview when the run
 * waits for an admin's review (no auto-publish, or a dry run). Any Task that still fails after its
 * retries is caught into RecordFailure, which marks the run item failed, then the execution fails;
 * a step that finds its run cancelled ends the execution in Cancelled.
 *
 * Every Task passes the whole RunState in and takes the handler's returned RunState as its output
 * (`payloadResponseOnly`), so the handler's signature is the same in Lambda and in the local runner.
 * The states are created under `scope`; the infra stack and `synthesizeMatchingAsl` share this code.
 */
export function matchingRunDefinition(
  scope: Construct,
  functions: Record<MatchingStep, IFunction>,
): DefinitionBody {
  const states = new Construct(scope, 'MatchingRunStates');
  const task = (step: MatchingStep, resultPath?: string) =>
    new LambdaInvoke(states, matchingTaskStateNames[step], {
      lambdaFunction: functions[step],
      payloadResponseOnly: true,
      taskTimeout: Timeout.duration(matchingStepTimeouts[step].plus(taskTimeoutHeadroom)),
      resultPath,
    });

  const failed = new Fail(states, matchingRunStateNames.failed, {
    errorPath: '$.error.Error',
    cause: 'The matching run failed; RecordFailure marked the run item failed.',
  });
  // Its own output is discarded so the Fail state can name the error the Catch put at $.error.
  // It has no Catch: if recording fails too, the execution fails with that error and its alarm.
  const recordFailure = task('recordFailure', JsonPath.DISCARD).addRetry(retry);
  recordFailure.next(failed);
  const cancelled = new Succeed(states, matchingRunStateNames.cancelled);
  const guarded = (step: Exclude<MatchingStep, 'recordFailure'>) =>
    task(step)
      .addRetry({ errors: [runCancelledError], maxAttempts: 0 })
      .addRetry(retry)
      .addCatch(cancelled, { errors: [runCancelledError], resultPath: '$.error' })
      .addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.error' });

  // Candidate selection of a large program, one ScoreChunk task per row range; each writes its
  // lists to the blob store, so the map's own output is dropped.
  const score = new MapState(states, matchingRunStateNames.score, {
    itemsPath: '$.chunks',
    itemSelector: {
      'tenantId.$': '$.tenantId',
      'programId.$': '$.programId',
      'runId.$': '$.runId',
      'autoPublish.$': '$.autoPublish',
      'dryRun.$': '$.dryRun',
      'chunk.$': '$$.Map.Item.Value',
    },
    maxConcurrency: scoreConcurrency,
    resultPath: JsonPath.DISCARD,
  })
    .itemProcessor(
      task('scoreChunk')
        .addRetry({ errors: [runCancelledError], maxAttempts: 0 })
        .addRetry(retry),
    )
    .addCatch(cancelled, { errors: [runCancelledError], resultPath: '$.error' })
    .addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.error' });

  const publish = guarded('publish').next(new Succeed(states, matchingRunStateNames.published));
  const shouldPublish = new Choice(states, matchingRunStateNames.shouldPublish)
    .when(
      Condition.and(
        Condition.booleanEquals('$.autoPublish', true),
        Condition.booleanEquals('$.dryRun', false),
      ),
      publish,
    )
    .otherwise(new Succeed(states, matchingRunStateNames.awaitingReview));

  // An admin's publish of a reviewed run starts an execution that runs Publish alone, so the
  // request path only claims the run and the work happens here, with the same retries and catch.
  const mode = new Choice(states, matchingRunStateNames.mode)
    .when(Condition.and(Condition.isPresent('$.mode'), Condition.stringEquals('$.mode', 'publish')), publish)
    .otherwise(
      guarded('snapshot').next(score).next(guarded('solve')).next(guarded('stage')).next(shouldPublish),
    );

  return DefinitionBody.fromChainable(mode);
}
