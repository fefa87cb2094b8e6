import { type RecognitionStep, recognitionSteps } from '@tandem/workflows';
import { recognitionDefinition, recognitionStepTimeouts } from '@tandem/workflows/definition';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { tandemFunction } from './function.ts';
import type { Observability } from './observability.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface RecognitionWorkflowProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
  cursorSecret: ISecret;
  observability: Observability;
  /** The API's base URL: certificate links in `recognition.awarded` start with it. */
  publicApiUrl: string;
}

/** Rendering a PDF page is the heaviest step; the others wait on DynamoDB. */
const memorySizes: Record<RecognitionStep, number> = {
  evaluate: 256,
  grant: 256,
  certify: 1024,
  announce: 256,
  recordFailure: 256,
};

const kebab = (step: RecognitionStep) => step.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const pascal = (step: RecognitionStep) => `${step[0]!.toUpperCase()}${step.slice(1)}`;

/**
 * Recognition workflows on Step Functions: the state machine from `@tandem/workflows` (the same
 * definition the local runner interprets), one Lambda function per step from the single entry
 * `functions/recognition-step.ts`, and the bucket that keeps certificates. A failed execution
 * raises an alarm; the award item records why.
 */
export class RecognitionWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly certificates: Bucket;
  readonly functions: Record<RecognitionStep, LambdaFunction>;

  constructor(scope: Construct, id: string, props: RecognitionWorkflowProps) {
    super(scope, id);
    const { stage, config, data, cursorSecret, observability } = props;
    const retain = config.removalPolicy === 'retain';
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Certificates are kept as long as the awards: no expiry.
    this.certificates = new Bucket(this, 'Certificates', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: retain,
      removalPolicy,
      autoDeleteObjects: !retain,
    });
    Validations.of(this.certificates).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the certify step writes and only the API reads this bucket; their logs and CloudTrail record the access.',
    });

    const environment = {
      TABLE_NAME: data.table.tableName,
      CURSOR_SECRET_ARN: cursorSecret.secretArn,
      CERTIFICATE_BUCKET: this.certificates.bucketName,
      PUBLIC_API_URL: props.publicApiUrl,
    };
    this.functions = Object.fromEntries(
      recognitionSteps.map((step) => {
        const fn = tandemFunction(this, `${pascal(step)}Function`, {
          stage,
          config,
          name: `recognition-${kebab(step)}`,
          entry: 'recognition-step',
          memorySize: memorySizes[step],
          timeout: recognitionStepTimeouts[step],
          reservedConcurrency: config.concurrency.recognitionStep,
          environment: { ...environment, RECOGNITION_STEP: step },
        });
        fn.addToRolePolicy(new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }));
        data.grantKeyUse(fn, 'readWrite');
        data.acknowledgeIndexWildcard(fn);
        cursorSecret.grantRead(fn);
        if (step === 'certify') this.grantObjects(fn, ['s3:PutObject']);
        return [step, fn];
      }),
    ) as Record<RecognitionStep, LambdaFunction>;

    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/tandem-${stage}-recognition`,
      retention: config.logRetentionDays,
      removalPolicy,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: `tandem-${stage}-recognition`,
      definitionBody: recognitionDefinition(this, this.functions),
      // The states carry only ids, flags and the caught error (never a name or a link), so execution data is logged.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: config.tracing,
    });
    for (const step of recognitionSteps)
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

    observability.alarm('recognition-failed', {
      metric: this.stateMachine.metricFailed({ statistic: 'Sum', period: Duration.minutes(5) }),
      description:
        'A recognition workflow failed after its retries; the award item records the step and error (GET /v1/awards/{id})',
      threshold: 1,
    });
  }

  /** The API (nominations, approvals) and the reactions (milestones) start executions. */
  grantStart(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.stateMachine.grantStartExecution(fn);
    fn.addEnvironment('RECOGNITION_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
  }

  /** The API serves certificates. */
  grantReadCertificates(fn: LambdaFunction): void {
    this.grantObjects(fn, ['s3:GetObject']);
    fn.addEnvironment('CERTIFICATE_BUCKET', this.certificates.bucketName);
  }

  private grantObjects(fn: LambdaFunction, actions: string[]) {
    fn.addToRolePolicy(
      new PolicyStatement({ actions, resources: [this.certificates.arnForObjects('certificates/*')] }),
    );
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.certificates.node.defaultChild as CfnBucket)}.Arn>/certificates/*]`,
      reason: 'Certificates only, keyed by tenant and award, which exist only once awarded.',
    });
  }
}
