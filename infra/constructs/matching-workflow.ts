import { type MatchingStep, matchingSteps } from '@tandem/workflows';
import { matchingRunDefinition, matchingStepTimeouts } from '@tandem/workflows/definition';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type CfnStateMachine, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { tandemFunction } from './function.ts';
import type { Observability } from './observability.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface MatchingWorkflowProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
  cursorSecret: ISecret;
  observability: Observability;
}

/** The solver is CPU-bound, and Lambda allots CPU by memory; the other steps mostly wait on DynamoDB and S3. */
const memorySizes: Record<MatchingStep, number> = {
  snapshot: 1024,
  scoreChunk: 3008,
  solve: 3008,
  stage: 1024,
  publish: 1024,
  recordFailure: 256,
};

/** Snapshots and solver results are read within the execution; a week leaves time to look into a failed run. */
const BLOB_EXPIRY = Duration.days(7);

const kebab = (step: MatchingStep) => step.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const pascal = (step: MatchingStep) => `${step[0]!.toUpperCase()}${step.slice(1)}`;

/**
 * Matching runs on Step Functions: the state machine from `@tandem/workflows` (the same definition
 * the local runner interprets), one Lambda function per step from the single entry
 * `functions/matching-step.ts`, and a bucket for the large intermediate results. A failed execution
 * raises an alarm; the run item in the table records why.
 */
export class MatchingWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly bucket: Bucket;
  readonly functions: Record<MatchingStep, LambdaFunction>;

  constructor(
    scope: Construct,
    id: string,
    { stage, config, data, cursorSecret, observability }: MatchingWorkflowProps,
  ) {
    super(scope, id);
    const retain = config.removalPolicy === 'retain';
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.bucket = new Bucket(this, 'Blobs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: BLOB_EXPIRY, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
      // Stages that are torn down empty the bucket first; CloudFormation cannot delete a non-empty one.
      autoDeleteObjects: !retain,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the matching step functions read and write this bucket; their logs and CloudTrail record the access, ' +
        'and the objects expire within days.',
    });

    const environment = {
      TABLE_NAME: data.table.tableName,
      CURSOR_SECRET_ARN: cursorSecret.secretArn,
      MATCHING_BUCKET: this.bucket.bucketName,
    };
    this.functions = Object.fromEntries(
      matchingSteps.map((step) => {
        const fn = tandemFunction(this, `${pascal(step)}Function`, {
          stage,
          config,
          name: `matching-${kebab(step)}`,
          entry: 'matching-step',
          memorySize: memorySizes[step],
          timeout: matchingStepTimeouts[step],
          reservedConcurrency:
            step === 'scoreChunk' ? config.concurrency.matchingScore : config.concurrency.matchingStep,
          environment: { ...environment, MATCHING_STEP: step },
        });
        this.grantStep(fn, data, cursorSecret);
        return [step, fn];
      }),
    ) as Record<MatchingStep, LambdaFunction>;

    const logGroup = new LogGroup(this, 'Logs', {
      // The prefix Step Functions recommends: it keeps CloudWatch Logs' resource policy small.
      logGroupName: `/aws/vendedlogs/states/tandem-${stage}-matching-run`,
      retention: config.logRetentionDays,
      removalPolicy,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: `tandem-${stage}-matching-run`,
      definitionBody: matchingRunDefinition(this, this.functions),
      // The states carry only ids, flags and the caught error (never participant data), so execution data is logged.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: config.tracing,
    });
    for (const step of matchingSteps)
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.functions[step].node.defaultChild as CfnFunction)}.Arn>:*]`,
        reason: `Invoking any version or alias of the ${step} step function only (what aws-cdk-lib grants a LambdaInvoke task).`,
      });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The CloudWatch Logs delivery actions Step Functions needs for execution logging (and X-Ray writes where tracing is on) have no resource-level permissions.',
    });
    if (!config.tracing)
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason: `The ${stage} stage runs without X-Ray, like its functions and API; execution history and logs remain.`,
      });

    observability.alarm('matching-run-failed', {
      metric: this.stateMachine.metricFailed({ statistic: 'Sum', period: Duration.minutes(5) }),
      description:
        'A matching run failed after its retries; the run item records the step and error (GET the match run)',
      threshold: 1,
    });
  }

  /** The API starts runs and stops cancelled ones. */
  grantStartStop(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.stateMachine.grantStartExecution(fn);
    this.stateMachine.grantExecution(fn, 'states:StopExecution');
    fn.addEnvironment('MATCHING_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${this.stateMachineLogicalId}"}]}]}:*]`,
      reason:
        'StopExecution names an execution, which exists only once started; the wildcard covers only executions of the matching-run state machine.',
    });
  }

  private get stateMachineLogicalId(): string {
    return Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as CfnStateMachine);
  }

  /**
   * Steps are driven by the state machine for every tenant, so, like the webhook workers, they use
   * platform table access; each builds its repositories for the run's own tenant.
   */
  private grantStep(fn: LambdaFunction, data: TandemTable, cursorSecret: ISecret) {
    fn.addToRolePolicy(new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }));
    data.grantKeyUse(fn, 'readWrite');
    data.acknowledgeIndexWildcard(fn);
    cursorSecret.grantRead(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      reason:
        'Objects of the run blob bucket only, keyed by tenant, program and run, which exist only at run time.',
    });
  }
}
