import { recognitionSteps, recognitionTaskStateNames } from '@tandem/workflows';
import { recognitionStateNames } from '@tandem/workflows/definition';
import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { cdkContext, only, synthStage } from './synth.ts';

const kebab = (step: string) => step.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function statementsOf(template: any, fn: { resource: any }) {
  const role = fn.resource.Properties.Role['Fn::GetAtt'][0];
  return Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: any) => r.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function definitionOf(stateMachine: { resource: any }) {
  const parts: any[] = stateMachine.resource.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(
    parts.map((part) => (typeof part === 'string' ? part : `<${part['Fn::GetAtt'][0]}>`)).join(''),
  );
}

describe.each(stageNames)('recognition workflow (%s)', (stage) => {
  const stateMachineOf = (template: any) =>
    only(template, 'AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: `tandem-${stage}-recognition` },
    });
  const functionOf = (template: any, name: string) =>
    only(template, 'AWS::Lambda::Function', { Properties: { FunctionName: `tandem-${stage}-${name}` } });

  it('deploys the definition: every step a Task on its own function with Retry and a Catch into RecordFailure', () => {
    const { template } = synthStage(stage);
    const stateMachine = stateMachineOf(template);
    expect(stateMachine.resource.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
    const definition = definitionOf(stateMachine);
    expect(definition.StartAt).toBe(recognitionTaskStateNames.evaluate);
    for (const step of recognitionSteps) {
      const state = definition.States[recognitionTaskStateNames[step]];
      expect(state.Type).toBe('Task');
      expect(state.Resource).toBe(`<${functionOf(template, `recognition-${kebab(step)}`).id}>`);
      expect(state.Retry.at(-1)).toMatchObject({
        ErrorEquals: ['States.ALL'],
        MaxAttempts: 3,
        BackoffRate: 2,
      });
      if (step === 'recordFailure') expect(state.Catch).toBeUndefined();
      else {
        const failed = `${recognitionTaskStateNames[step]}Failed`;
        expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failed }]);
        expect(definition.States[failed]).toMatchObject({
          Type: 'Pass',
          Result: step,
          ResultPath: '$.failedStep',
          Next: recognitionTaskStateNames.recordFailure,
        });
      }
    }
    const decision = definition.States[recognitionStateNames.decision];
    expect(decision.Choices.map((c: any) => c.Next)).toEqual([
      recognitionStateNames.awaitingApproval,
      recognitionStateNames.notAwarded,
    ]);
    expect(decision.Default).toBe(recognitionTaskStateNames.grant);
  });

  it('keeps certificates in a private, encrypted bucket that the certify step writes and the API reads', () => {
    const { template } = synthStage(stage);
    const certify = functionOf(template, 'recognition-certify');
    const bucketRef = certify.resource.Properties.Environment.Variables.CERTIFICATE_BUCKET;
    const bucket = template.toJSON().Resources[bucketRef.Ref];
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
    expect(bucket.Properties.LifecycleConfiguration).toBeUndefined();
    expect(bucket.DeletionPolicy).toBe(
      cdkContext.stages[stage].removalPolicy === 'retain' ? 'Retain' : 'Delete',
    );
    const objects = (statements: any[], action: string) =>
      statements.filter((s) => [s.Action].flat().includes(action)).map((s) => JSON.stringify(s.Resource));
    expect(objects(statementsOf(template, certify), 's3:PutObject')).toEqual([
      expect.stringMatching(new RegExp(`${bucketRef.Ref}.*/certificates/\\*`)),
    ]);
    const api = functionOf(template, 'api');
    expect(api.resource.Properties.Environment.Variables.CERTIFICATE_BUCKET).toEqual(bucketRef);
    expect(objects(statementsOf(template, api), 's3:GetObject')).toEqual([
      expect.stringMatching(new RegExp(`${bucketRef.Ref}.*/certificates/\\*`)),
    ]);
    expect(objects(statementsOf(template, api), 's3:PutObject')).toEqual([]);
  });

  it('lets the API and the event reactions start executions, and tells the steps the public API URL', () => {
    const { template } = synthStage(stage);
    const stateMachine = stateMachineOf(template);
    for (const name of ['api', 'event-reactions']) {
      const fn = functionOf(template, name);
      expect(fn.resource.Properties.Environment.Variables.RECOGNITION_STATE_MACHINE_ARN).toEqual({
        Ref: stateMachine.id,
      });
      expect(statementsOf(template, fn)).toContainEqual(
        expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: stateMachine.id } }),
      );
    }
    const url = JSON.stringify(
      functionOf(template, 'recognition-announce').resource.Properties.Environment.Variables.PUBLIC_API_URL,
    );
    expect(url).toContain('execute-api');
    expect(url).toContain(`/${stage}`);
  });

  it('opens only GET /v1/certificates/{link} without the authorizer', () => {
    const { template } = synthStage(stage);
    const methods = Object.values<any>(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.AuthorizationType === 'NONE' && m.Properties.HttpMethod !== 'OPTIONS',
    );
    const link = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: '{link}' } });
    const linkMethods = methods.filter((m) => m.Properties.ResourceId.Ref === link.id);
    expect(linkMethods.map((m) => m.Properties.HttpMethod)).toEqual(['GET']);
  });

  it('alarms on any failed execution', () => {
    const { template } = synthStage(stage);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tandem-${stage}-recognition-failed`,
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineOf(template).id } }],
      Threshold: 1,
    });
  });
});
