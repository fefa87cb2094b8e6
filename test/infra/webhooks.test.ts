import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { cdkContext, only, synthStage } from './synth.ts';

const functionNamed = (template: any, name: string) =>
  only(template, 'AWS::Lambda::Function', { Properties: { FunctionName: name } });

describe.each(stageNames)('webhooks (%s)', (stage) => {
  it('queues deliveries on an encrypted queue with a dead-letter queue after five receives', () => {
    const { template } = synthStage(stage);
    const dlq = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-delivery-dlq` },
    });
    const queue = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-webhook-deliveries` },
    });
    expect(queue.resource.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('relays only inserted outbox items from the table stream, bisecting failures, for at most a day', () => {
    const { template } = synthStage(stage);
    const relay = functionNamed(template, `tandem-${stage}-webhook-relay`);
    const relayDlq = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-relay-dlq` },
    });
    const table = only(template, 'AWS::DynamoDB::Table');
    const mapping = only(template, 'AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: relay.id } },
    });
    expect(mapping.resource.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [table.id, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRecordAgeInSeconds: 86_400,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [relayDlq.id, 'Arn'] } } },
    });
    // It pages through no list, so it gets no cursor secret (the delivery does, for recoveries).
    expect(relay.resource.Properties.Environment.Variables.CURSOR_SECRET_ARN).toBeUndefined();
    const delivery = functionNamed(template, `tandem-${stage}-webhook-delivery`);
    expect(delivery.resource.Properties.Environment.Variables.CURSOR_SECRET_ARN).toBeDefined();
    const actionsOf = (fn: { resource: any }) =>
      Object.values<any>(template.findResources('AWS::IAM::Policy'))
        .filter((p) =>
          p.Properties.Roles.some((role: any) => role.Ref === fn.resource.Properties.Role['Fn::GetAtt'][0]),
        )
        .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((statement: any) => statement.Action));
    expect(actionsOf(relay)).not.toContain('secretsmanager:GetSecretValue');
    expect(actionsOf(delivery)).toContain('secretsmanager:GetSecretValue');
    const [filter] = mapping.resource.Properties.FilterCriteria.Filters;
    expect(JSON.parse(filter.Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { entity: { S: ['event'] } } },
    });
  });

  it('delivers from the queue with partial batch failures, and the API can enqueue', () => {
    const { template } = synthStage(stage);
    const delivery = functionNamed(template, `tandem-${stage}-webhook-delivery`);
    const queue = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-webhook-deliveries` },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: delivery.id },
      EventSourceArn: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: cdkContext.stages[stage].concurrency.webhookDelivery },
    });
    expect(delivery.resource.Properties.Timeout).toBe(30);
    const api = functionNamed(template, `tandem-${stage}-api`);
    expect(api.resource.Properties.Environment.Variables.WEBHOOK_QUEUE_URL).toEqual({ Ref: queue.id });
    const apiPolicies = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((role: any) => role.Ref === api.resource.Properties.Role['Fn::GetAtt'][0]),
    );
    const statements = apiPolicies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Resource: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      }),
    );
  });

  it('alarms as soon as anything reaches a dead-letter queue', () => {
    const { template } = synthStage(stage);
    for (const name of ['delivery', 'relay'])
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `tandem-${stage}-webhook-${name}-dlq`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
      });
  });

  it('alarms when deliveries fail after every retry, and when the queue falls behind', () => {
    const { template } = synthStage(stage);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tandem-${stage}-webhook-deliveries-failed`,
      Namespace: `Tandem/${stage}`,
      MetricName: 'WebhookDeliveries',
      // Exactly the dimensions the delivery function's Powertools Metrics emit.
      Dimensions: [
        { Name: 'outcome', Value: 'failed' },
        { Name: 'service', Value: 'tandem-webhook-delivery' },
      ],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const queue = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-webhook-deliveries` },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tandem-${stage}-webhook-queue-age`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue.id, 'QueueName'] } }],
      Threshold: cdkContext.stages[stage].alarms.webhookQueueAgeMinutes * 60,
    });
  });
});
