import { matchingSteps, matchingTaskStateNames } from '@tandem/workflows';
import { matchingRunStateNames } from '@tandem/workflows/definition';
import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { cdkContext, only, synthStage } from './synth.ts';

const kebab = (step: string) => step.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The statements of the policies attached to a function's role. */
function statementsOf(template: any, fn: { resource: any }) {
  const role = fn.resource.Properties.Role['Fn::GetAtt'][0];
  return Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: any) => r.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const actionsOf = (statement: any): string[] => [statement.Action].flat();

/** The definition with the function ARNs' tokens replaced by the logical ids they name. */
function definitionOf(stateMachine: { resource: any }) {
  const parts: any[] = stateMachine.resource.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(
    parts.map((part) => (typeof part === 'string' ? part : `<${part['Fn::GetAtt'][0]}>`)).join(''),
  );
}

describe.each(stageNames)('matching workflow (%s)', (stage) => {
  const functionOf = (template: any, step: string) =>
    only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: `tandem-${stage}-matching-${kebab(step)}` },
    });

  it('runs the state machine with every execution logged to a log group kept per the stage', () => {
    const { template } = synthStage(stage);
    const stateMachine = only(template, 'AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: `tandem-${stage}-matching-run` },
    });
    const logGroup = only(template, 'AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/aws/vendedlogs/states/tandem-${stage}-matching-run` },
    });
    expect(logGroup.resource.Properties.RetentionInDays).toBe(cdkContext.stages[stage].logRetentionDays);
    expect(stateMachine.resource.Properties).toMatchObject({
      StateMachineName: `tandem-${stage}-matching-run`,
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup.id, 'Arn'] } } }],
      },
    });
  });

  it('deploys the workflow definition: each step a Task on its own function, with retries and a catch', () => {
    const { template } = synthStage(stage);
    const definition = definitionOf(
      only(template, 'AWS::StepFunctions::StateMachine', {
        Properties: { StateMachineName: `tandem-${stage}-matching-run` },
      }),
    );
    expect(definition.StartAt).toBe(matchingRunStateNames.mode);
    expect(definition.States[matchingRunStateNames.mode].Default).toBe(matchingTaskStateNames.snapshot);
    const score = definition.States[matchingRunStateNames.score];
    expect(Object.keys(definition.States).sort()).toEqual(
      [
        ...Object.values(matchingTaskStateNames).filter((name) => name !== matchingTaskStateNames.scoreChunk),
        ...Object.values(matchingRunStateNames),
      ].sort(),
    );
    // ScoreChunk runs inside the Score map, which catches for it.
    expect(score).toMatchObject({ Type: 'Map', ItemsPath: '$.chunks', MaxConcurrency: 10 });
    expect(score.Catch.at(-1)).toEqual({
      ErrorEquals: ['States.ALL'],
      ResultPath: '$.error',
      Next: matchingTaskStateNames.recordFailure,
    });
    const states = { ...definition.States, ...score.ItemProcessor.States };
    for (const step of matchingSteps) {
      const state = states[matchingTaskStateNames[step]];
      expect(state.Type).toBe('Task');
      expect(state.Resource).toBe(`<${functionOf(template, step).id}>`);
      expect(state.Retry.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], BackoffRate: 2 });
      if (step === 'recordFailure' || step === 'scoreChunk') expect(state.Catch).toBeUndefined();
      else
        expect(state.Catch.at(-1)).toEqual({
          ErrorEquals: ['States.ALL'],
          ResultPath: '$.error',
          Next: matchingTaskStateNames.recordFailure,
        });
    }
  });

  it('runs one function per step from the one entry, with the step, table, secret and bucket', () => {
    const { template } = synthStage(stage);
    const table = only(template, 'AWS::DynamoDB::Table');
    const bucket = only(template, 'AWS::S3::Bucket', { Properties: { LifecycleConfiguration: {} } });
    const secret = only(template, 'AWS::SecretsManager::Secret', {
      Properties: { Name: `tandem/${stage}/cursor-secret` },
    });
    for (const step of matchingSteps) {
      const fn = functionOf(template, step);
      expect(fn.resource.Properties.Environment.Variables).toMatchObject({
        MATCHING_STEP: step,
        TABLE_NAME: { Ref: table.id },
        CURSOR_SECRET_ARN: { Ref: secret.id },
        MATCHING_BUCKET: { Ref: bucket.id },
      });
      const statements = statementsOf(template, fn);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket.id, 'Arn'] }, '/*']] },
        }),
      );
      expect(statements.flatMap(actionsOf)).toEqual(
        expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'secretsmanager:GetSecretValue']),
      );
      expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    }
    expect(functionOf(template, 'solve').resource.Properties.Timeout).toBe(900);
  });

  it('keeps run blobs in a private, encrypted, TLS-only bucket that expires them', () => {
    const { template } = synthStage(stage);
    const bucket = only(template, 'AWS::S3::Bucket', { Properties: { LifecycleConfiguration: {} } });
    expect(bucket.resource.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' })],
      },
    });
    expect(bucket.resource.DeletionPolicy).toBe(
      cdkContext.stages[stage].removalPolicy === 'retain' ? 'Retain' : 'Delete',
    );
    const policy = only(template, 'AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucket.id } } });
    expect(policy.resource.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets the API start and stop executions and tells it the state machine', () => {
    const { template } = synthStage(stage);
    const stateMachine = only(template, 'AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: `tandem-${stage}-matching-run` },
    });
    const api = only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: `tandem-${stage}-api` },
    });
    expect(api.resource.Properties.Environment.Variables.MATCHING_STATE_MACHINE_ARN).toEqual({
      Ref: stateMachine.id,
    });
    const statements = statementsOf(template, api);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: stateMachine.id } }),
    );
    const stop = statements.find((statement) => actionsOf(statement).includes('states:StopExecution'));
    expect(JSON.stringify(stop.Resource)).toMatch(/:execution:.*:\*/);
    expect(template.toJSON().Outputs.MatchingStateMachineArn.Value).toEqual({ Ref: stateMachine.id });
  });

  it('alarms on any failed execution', () => {
    const { template } = synthStage(stage);
    const stateMachine = only(template, 'AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: `tandem-${stage}-matching-run` },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tandem-${stage}-matching-run-failed`,
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachine.id } }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });
});
