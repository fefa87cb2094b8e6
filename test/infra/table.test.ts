import { tableDefinition } from '@tandem/store';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { only, synthStage } from './synth.ts';

describe.each(stageNames)('table (%s)', (stage) => {
  it('is built from the shared table definition, on demand', () => {
    const { template } = synthStage(stage);
    const gsi = tableDefinition.globalSecondaryIndexes;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `tandem-${stage}`,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        [
          tableDefinition.partitionKey,
          tableDefinition.sortKey,
          ...gsi.flatMap((i) => [i.partitionKey, i.sortKey]),
        ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      ),
      GlobalSecondaryIndexes: gsi.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });
});

describe('table per stage', () => {
  it('prod: retained, deletion-protected, point-in-time recovery, its own rotating KMS key', () => {
    const { template } = synthStage('prod');
    const table = only(template, 'AWS::DynamoDB::Table').resource;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const key = only(template, 'AWS::KMS::Key', {
      Properties: { Description: Match.stringLikeRegexp('table') },
    });
    expect(key.resource.DeletionPolicy).toBe('Retain');
    expect(key.resource.Properties.EnableKeyRotation).toBe(true);
    expect(table.Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
    });
  });

  it('dev: destroyed with the stack, AWS-managed encryption, no point-in-time recovery', () => {
    const { template } = synthStage('dev');
    const table = only(template, 'AWS::DynamoDB::Table').resource;
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    // The alarm topic's key and the sealing key of stored secrets (sealing.test.ts): none for the table.
    const keys = Object.values<any>(template.findResources('AWS::KMS::Key'));
    expect(keys.map((key) => key.Properties.Description)).not.toContainEqual(expect.stringMatching(/table/));
  });

  it('staging: point-in-time recovery but disposable', () => {
    const table = only(synthStage('staging').template, 'AWS::DynamoDB::Table').resource;
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });
});
