import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  JsonPath,
  Pass,
  Result,
  Succeed,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { type RecognitionStep, recognitionTaskStateNames } from './contract.ts';

export const recognitionStateNames = {
  decision: 'Decision',
  hasCertificate: 'HasCertificate',
  awaitingApproval: 'AwaitingApproval',
  notAwarded: 'NotAwarded',
  awarded: 'Awarded',
  failed: 'Failed',
} as const;

/** How long each step may run: the Lambda timeout in AWS. */
export const recognitionStepTimeouts: Record<RecognitionStep, Duration> = {
  evaluate: Duration.seconds(30),
  grant: Duration.seconds(30),
  certify: Duration.minutes(1),
  announce: Duration.seconds(30),
  recordFailure: Duration.seconds(30),
};
const taskTimeoutHeadroom = Duration.seconds(10);

/** The transient-failure retry of every Task: 1 s, 2 s, 4 s. */
const retry = { errors: [Errors.ALL], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 };

/**
 * The recognition state machine: Evaluate → Decision: a nomination still pending ends the
 * execution in AwaitingApproval (the admin's approval starts a second execution, which Evaluate
 * finds approved: no task tokens, so the local runner runs it too), a rejected one ends in
 * NotAwarded; otherwise Grant → HasCertificate → Certify (the PDF into the blob store) →
 * Announce (`recognition.awarded` with a signed link) → Awarded. A Task that still fails after
 * its retries names itself in `$.failedStep` and is caught into RecordFailure, which records the
 * failure on the award item; then the execution fails (and raises the alarm).
 */
export function recognitionDefinition(
  scope: Construct,
  functions: Record<RecognitionStep, IFunction>,
): DefinitionBody {
  const states = new Construct(scope, 'RecognitionStates');
  const task = (step: RecognitionStep, resultPath?: string) =>
    new LambdaInvoke(states, recognitionTaskStateNames[step], {
      lambdaFunction: functions[step],
      payloadResponseOnly: true,
      taskTimeout: Timeout.duration(recognitionStepTimeouts[step].plus(taskTimeoutHeadroom)),
      resultPath,
    });

  const failed = new Fail(states, recognitionStateNames.failed, {
    errorPath: '$.error.Error',
    cause: 'The recognition workflow failed; RecordFailure recorded it on the award item.',
  });
  // No Catch: if recording fails too, the execution fails with that error and its alarm.
  const recordFailure = task('recordFailure', JsonPath.DISCARD).addRetry(retry);
  recordFailure.next(failed);
  const guarded = (step: Exclude<RecognitionStep, 'recordFailure'>) => {
    const named = new Pass(states, `${recognitionTaskStateNames[step]}Failed`, {
      result: Result.fromString(step),
      resultPath: '$.failedStep',
    }).next(recordFailure);
    return task(step)
      .addRetry(retry)
      .addCatch(named, { errors: [Errors.ALL], resultPath: '$.error' });
  };

  const announce = guarded('announce').next(new Succeed(states, recognitionStateNames.awarded));
  const hasCertificate = new Choice(states, recognitionStateNames.hasCertificate)
    .when(Condition.booleanEquals('$.certificate', true), guarded('certify').next(announce))
    .otherwise(announce);
  const decision = new Choice(states, recognitionStateNames.decision)
    .when(
      Condition.stringEquals('$.decision', 'await'),
      new Succeed(states, recognitionStateNames.awaitingApproval),
    )
    .when(
      Condition.stringEquals('$.decision', 'rejected'),
      new Succeed(states, recognitionStateNames.notAwarded),
    )
    .otherwise(guarded('grant').next(hasCertificate));

  return DefinitionBody.fromChainable(guarded('evaluate').next(decision));
}
