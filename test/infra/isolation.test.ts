import { describe, expect, it } from 'vitest';
import { itemActions } from '../../infra/constructs/table.ts';
import { stageNames } from '../../infra/stage-config.ts';
import { only, synthesizeOne, synthStage, withStage } from './synth.ts';

const policyStatements = (template: any) =>
  Object.values<any>(template.toJSON().Resources).flatMap((resource) => [
    ...(resource.Type === 'AWS::IAM::Policy' ? resource.Properties.PolicyDocument.Statement : []),
    ...(resource.Type === 'AWS::IAM::Role'
      ? (resource.Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement)
      : []),
  ]);

const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);

describe.each(stageNames)('tenant isolation in IAM (%s)', (stage) => {
  it('lets the tenant data role reach only items under T#<TenantId tag>, with a partition key, never Scan', () => {
    const { template } = synthStage(stage);
    const table = only(template, 'AWS::DynamoDB::Table').id;
    const role = only(template, 'AWS::IAM::Role', {
      Properties: { Description: `Tandem ${stage}: one tenant's items, chosen by the TenantId session tag` },
    });

    expect(role.resource.Properties.Policies).toEqual([
      {
        PolicyName: 'TenantItems',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OwnTenantItemsOnly',
              Effect: 'Allow',
              Action: [...itemActions],
              Resource: [
                { 'Fn::GetAtt': [table, 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/*']] },
              ],
              Condition: {
                'ForAllValues:StringLike': {
                  'dynamodb:LeadingKeys': [
                    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, as IAM reads it
                    'T#${aws:PrincipalTag/TenantId}',
                    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, as IAM reads it
                    'T#${aws:PrincipalTag/TenantId}#*',
                  ],
                },
                Null: { 'dynamodb:LeadingKeys': 'false' },
              },
            },
          ],
        },
      },
    ]);
    expect(itemActions).not.toContain('dynamodb:Scan');
  });

  it('is assumable only by the API function, with the TenantId session tag', () => {
    const { template } = synthStage(stage);
    const apiFunction = only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: `tandem-${stage}-api` },
    });
    const apiRole = apiFunction.resource.Properties.Role['Fn::GetAtt'][0];
    const role = only(template, 'AWS::IAM::Role', {
      Properties: { Description: `Tandem ${stage}: one tenant's items, chosen by the TenantId session tag` },
    });

    expect(role.resource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [apiRole, 'Arn'] } },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: { StringLike: { 'aws:RequestTag/TenantId': 'ten_*' } },
      },
    ]);
    expect(apiFunction.resource.Properties.Environment.Variables.TENANT_ROLE_ARN).toEqual({
      'Fn::GetAtt': [role.id, 'Arn'],
    });
    const assume = policyStatements(template).filter((statement) =>
      asList(statement.Action).includes('sts:AssumeRole'),
    );
    const apiPolicy = only(template, 'AWS::IAM::Policy', { Properties: { Roles: [{ Ref: apiRole }] } });
    expect(apiPolicy.resource.Properties.PolicyDocument.Statement).toContainEqual(assume[0]);
    expect(assume).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: { 'Fn::GetAtt': [role.id, 'Arn'] },
      },
    ]);
  });

  it('grants Scan to nobody, and the authorizer GetItem plus Query of issuer lookups only', () => {
    const { template } = synthStage(stage);
    const statements = policyStatements(template);
    expect(statements.flatMap((s) => asList(s.Action))).not.toContain('dynamodb:Scan');
    expect(statements.flatMap((s) => asList(s.Action)).filter((a) => /^dynamodb:\*|^\*$/.test(a))).toEqual(
      [],
    );

    const authorizerRole = only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: `tandem-${stage}-authorizer` },
    }).resource.Properties.Role['Fn::GetAtt'][0];
    const authorizerPolicy = only(template, 'AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: authorizerRole }] },
    });
    const dynamo = authorizerPolicy.resource.Properties.PolicyDocument.Statement.filter((s: any) =>
      asList(s.Action).some((a: string) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.flatMap((s: any) => asList(s.Action)).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    const query = dynamo.find((s: any) => asList(s.Action).includes('dynamodb:Query'));
    expect(query.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ISSUER#*'] },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
  });
});

describe('tenant isolation switch', () => {
  it('without tenantScopedCredentials there is no tenant data role and the API function uses its own', () => {
    const { template } = synthesizeOne(
      withStage('dev', (config) => (config.tenantScopedCredentials = false)),
    );
    const apiFunction = only(template, 'AWS::Lambda::Function', {
      Properties: { FunctionName: 'tandem-dev-api' },
    });
    expect(apiFunction.resource.Properties.Environment.Variables.TENANT_ROLE_ARN).toBeUndefined();
    expect(policyStatements(template).flatMap((s) => asList(s.Action))).not.toContain('sts:AssumeRole');
  });
});
