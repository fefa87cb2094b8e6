import { Token } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readStages, stageNames } from '../../infra/stage-config.ts';
import { cdkContext, synthesize, synthesizeOne, synthStage, withStage } from './synth.ts';

const deletionPolicies = (template: any, type: string) =>
  Object.values<any>(template.findResources(type)).map((resource) => resource.DeletionPolicy);

describe('stages', () => {
  it('accepts the stages in cdk.json and names the reason when a setting is wrong', () => {
    expect(Object.keys(readStages(cdkContext.stages))).toEqual([...stageNames]);
    const broken = structuredClone(cdkContext.stages);
    broken.prod.logRetentionDays = 42;
    broken.dev.api.authorizerCacheSeconds = 60;
    delete broken.staging.removalPolicy;
    const error = (() => {
      try {
        readStages(broken);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toMatch(/prod\.logRetentionDays/);
    expect(error).toMatch(/dev\.api\.authorizerCacheSeconds/);
    expect(error).toMatch(/staging\.removalPolicy/);
  });

  it('builds the stack of the chosen stage, or all of them, and refuses unknown stages', () => {
    expect(synthStage('prod').stack.stackName).toBe('Tandem-prod');
    expect(() => synthesize({ ...cdkContext, stage: 'qa' })).toThrow(
      /Unknown stage "qa": use one of dev, staging, prod/,
    );
    const { stages, ...withoutStage } = cdkContext;
    expect(() => synthesize(withoutStage)).toThrow(/Invalid "stages"/);
  });

  it('synthesizes without any account or credentials: the stack is environment-agnostic unless pinned', () => {
    for (const stage of stageNames) {
      const { stack } = synthStage(stage);
      expect(Token.isUnresolved(stack.account)).toBe(true);
      expect(Token.isUnresolved(stack.region)).toBe(true);
    }
    const { stack } = synthesizeOne(
      withStage('staging', (config) =>
        Object.assign(config, { account: '123456789012', region: 'eu-west-1' }),
      ),
    );
    expect(stack.account).toBe('123456789012');
    expect(stack.region).toBe('eu-west-1');
  });

  it('prod retains its data, keys, secrets and logs; dev destroys them', () => {
    const prod = synthStage('prod');
    const dev = synthStage('dev');
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
      'AWS::S3::Bucket',
    ]) {
      expect(new Set(deletionPolicies(prod.template, type))).toEqual(new Set(['Retain']));
      expect(new Set(deletionPolicies(dev.template, type))).toEqual(new Set(['Delete']));
    }
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
  });

  it('names tables, functions, log groups and alarms after the stage and keeps logs per the stage', () => {
    for (const stage of stageNames) {
      const { template } = synthStage(stage);
      const json = template.toJSON();
      const logGroups = Object.values<any>(template.findResources('AWS::Logs::LogGroup')).map(
        (g) => g.Properties,
      );
      expect(logGroups.map((g) => g.LogGroupName).sort()).toEqual([
        `/aws/lambda/tandem-${stage}-api`,
        `/aws/lambda/tandem-${stage}-authorizer`,
        `/aws/lambda/tandem-${stage}-event-reactions`,
        `/aws/lambda/tandem-${stage}-hris-worker`,
        `/aws/lambda/tandem-${stage}-matching-publish`,
        `/aws/lambda/tandem-${stage}-matching-record-failure`,
        `/aws/lambda/tandem-${stage}-matching-score-chunk`,
        `/aws/lambda/tandem-${stage}-matching-snapshot`,
        `/aws/lambda/tandem-${stage}-matching-solve`,
        `/aws/lambda/tandem-${stage}-matching-stage`,
        `/aws/lambda/tandem-${stage}-recognition-announce`,
        `/aws/lambda/tandem-${stage}-recognition-certify`,
        `/aws/lambda/tandem-${stage}-recognition-evaluate`,
        `/aws/lambda/tandem-${stage}-recognition-grant`,
        `/aws/lambda/tandem-${stage}-recognition-record-failure`,
        `/aws/lambda/tandem-${stage}-scheduled-job`,
        `/aws/lambda/tandem-${stage}-secret-rotation`,
        `/aws/lambda/tandem-${stage}-webhook-delivery`,
        `/aws/lambda/tandem-${stage}-webhook-relay`,
        `/aws/vendedlogs/states/tandem-${stage}-matching-run`,
        `/aws/vendedlogs/states/tandem-${stage}-recognition`,
        `/tandem/${stage}/api-access`,
      ]);
      expect(new Set(logGroups.map((g) => g.RetentionInDays))).toEqual(
        new Set([cdkContext.stages[stage].logRetentionDays]),
      );
      const names = Object.values<any>(json.Resources).flatMap((r) =>
        [
          r.Properties?.TableName,
          r.Properties?.FunctionName,
          r.Properties?.AlarmName,
          r.Properties?.TopicName,
          r.Properties?.StateMachineName,
        ].filter((name): name is string => typeof name === 'string'),
      );
      expect(names.length).toBeGreaterThan(5);
      for (const name of names) expect(name).toMatch(new RegExp(`^tandem-${stage}(-|$)`));
    }
    expect(cdkContext.stages.prod.logRetentionDays).toBeGreaterThan(cdkContext.stages.dev.logRetentionDays);
  });
});
