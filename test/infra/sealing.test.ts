import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { only, synthStage } from './synth.ts';

/** Functions that seal or open stored secrets, and those that must not be able to. */
const keepingSecrets = ['api', 'webhook-delivery', 'hris-worker', 'scheduled-job'];
const keepingNone = ['authorizer', 'webhook-relay', 'event-reactions'];

describe.each(stageNames)('the sealing key of stored secrets (%s)', (stage) => {
  it('is a rotating KMS key of its own, kept as long as the table', () => {
    const { template } = synthStage(stage);
    const key = only(template, 'AWS::KMS::Key', {
      Properties: { Description: Match.stringLikeRegexp('^Seals the secrets') },
    });
    const table = only(template, 'AWS::DynamoDB::Table').resource;
    expect(key.resource.Properties.EnableKeyRotation).toBe(true);
    expect(key.resource.DeletionPolicy).toBe(table.DeletionPolicy);
    only(template, 'AWS::KMS::Alias', { Properties: { AliasName: `alias/tandem-${stage}-secrets` } });
  });

  it('lends data keys, for the sealing purpose only, to the functions that keep secrets and to no other', () => {
    const { template } = synthStage(stage);
    const key = only(template, 'AWS::KMS::Key', {
      Properties: { Description: Match.stringLikeRegexp('^Seals the secrets') },
    });
    const keyArn = { 'Fn::GetAtt': [key.id, 'Arn'] };
    const functions = Object.values<any>(template.findResources('AWS::Lambda::Function'));
    const named = (name: string) => {
      const found = functions.find((fn) => fn.Properties.FunctionName === `tandem-${stage}-${name}`);
      if (!found) throw new Error(`no function ${name}`);
      return found;
    };
    const sealingStatements = (fn: any) =>
      Object.values<any>(template.findResources('AWS::IAM::Policy'))
        .filter((p) =>
          p.Properties.Roles.some((role: any) => role.Ref === fn.Properties.Role['Fn::GetAtt'][0]),
        )
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((statement: any) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn));

    for (const name of keepingSecrets) {
      const fn = named(name);
      expect(fn.Properties.Environment.Variables.SEALING_KEY_ARN, name).toEqual(keyArn);
      expect(sealingStatements(fn), name).toEqual([
        {
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: keyArn,
          Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'tandem-stored-secrets' } },
        },
      ]);
    }
    const others = [
      ...keepingNone.map(named),
      ...functions.filter((fn) =>
        /-(matching|recognition)-/.test(JSON.stringify(fn.Properties.FunctionName)),
      ),
    ];
    expect(others.length).toBeGreaterThan(keepingNone.length);
    for (const fn of others) {
      expect(fn.Properties.Environment?.Variables?.SEALING_KEY_ARN).toBeUndefined();
      expect(sealingStatements(fn)).toEqual([]);
    }
  });
});
