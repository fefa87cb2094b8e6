import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { only, synthStage } from './synth.ts';

const functionNamed = (template: any, name: string) =>
  only(template, 'AWS::Lambda::Function', { Properties: { FunctionName: name } });

const alarmNamed = (template: any, name: string) =>
  only(template, 'AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } });

describe.each(stageNames)('the scheduled job and event reactions (%s)', (stage) => {
  it('runs the scheduled job every minute from EventBridge Scheduler, without retries a later pass makes redundant', () => {
    const { template } = synthStage(stage);
    const job = functionNamed(template, `tandem-${stage}-scheduled-job`);
    const schedule = only(template, 'AWS::Scheduler::Schedule');
    expect(schedule.resource.Properties).toMatchObject({
      Name: `tandem-${stage}-scheduled-job`,
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [job.id, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      },
    });
    expect(job.resource.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: expect.anything(),
      CURSOR_SECRET_ARN: expect.anything(),
    });
    alarmNamed(template, `tandem-${stage}-scheduled-job-errors`);
  });

  it('reacts to inserted outbox items only, on the stream beside the relay, with a dead-letter queue and alarms', () => {
    const { template } = synthStage(stage);
    const reactions = functionNamed(template, `tandem-${stage}-event-reactions`);
    const dlq = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-event-reactions-dlq` },
    });
    const table = only(template, 'AWS::DynamoDB::Table');
    const mapping = only(template, 'AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: reactions.id } },
    });
    expect(mapping.resource.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [table.id, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq.id, 'Arn'] } } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entity: { S: ['event'] } } },
            }),
          },
        ],
      },
    });
    alarmNamed(template, `tandem-${stage}-event-reactions-dlq`);
    alarmNamed(template, `tandem-${stage}-event-reactions-errors`);
  });
});
