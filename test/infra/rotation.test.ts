import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { only, synthStage } from './synth.ts';

describe.each(stageNames)('secret rotation (%s)', (stage) => {
  it('rotates the operator key and the cursor secret every 30 days with the rotation function', () => {
    const { template } = synthStage(stage);
    const rotation = only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: `tandem-${stage}-secret-rotation` },
    });
    for (const name of ['operator-key', 'cursor-secret']) {
      const secret = only(template, 'AWS::SecretsManager::Secret', {
        Properties: { Name: `tandem/${stage}/${name}` },
      });
      const schedule = only(template, 'AWS::SecretsManager::RotationSchedule', {
        Properties: { SecretId: { Ref: secret.id } },
      });
      expect(schedule.resource.Properties).toMatchObject({
        RotationLambdaARN: { 'Fn::GetAtt': [rotation.id, 'Arn'] },
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
      });
    }
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [rotation.id, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
    });
  });

  it('lets the rotation function write new versions of those two secrets only', () => {
    const { template } = synthStage(stage);
    const rotation = only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: `tandem-${stage}-secret-rotation` },
    });
    const role = rotation.resource.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const writes = statements.filter((s) => [s.Action].flat().includes('secretsmanager:PutSecretValue'));
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    expect(writes.map((s) => s.Resource.Ref).sort()).toEqual(
      secrets.filter((id) => /OperatorKey|CursorSecret/.test(id)).sort(),
    );
    // Who else may write a secret's value: nobody.
    const writers = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some((s: any) =>
        [s.Action].flat().includes('secretsmanager:PutSecretValue'),
      ),
    );
    expect(writers.map((policy) => policy.Properties.Roles)).toEqual([[{ Ref: role }]]);
  });
});
