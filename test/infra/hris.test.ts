import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { cdkContext, only, synthStage } from './synth.ts';

const functionNamed = (template: any, name: string) =>
  only(template, 'AWS::Lambda::Function', { Properties: { FunctionName: name } });

describe.each(stageNames)('HRIS intake (%s)', (stage) => {
  it('queues changes on a FIFO queue with a dead-letter queue, which the API may send to', () => {
    const { template } = synthStage(stage);
    const queue = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-hris-changes.fifo` },
    });
    const dlq = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-hris-changes-dlq.fifo` },
    });
    expect(queue.resource.Properties).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] }, maxReceiveCount: 5 },
    });
    const api = functionNamed(template, `tandem-${stage}-api`);
    expect(api.resource.Properties.Environment.Variables.HRIS_QUEUE_URL).toEqual({ Ref: queue.id });
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) =>
        p.Properties.Roles.some((role: any) => role.Ref === api.resource.Properties.Role['Fn::GetAtt'][0]),
      )
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Resource: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      }),
    );
  });

  it('applies changes with the worker, reporting partial batch failures, within its reserved concurrency', () => {
    const { template } = synthStage(stage);
    const worker = functionNamed(template, `tandem-${stage}-hris-worker`);
    const queue = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-hris-changes.fifo` },
    });
    const concurrency = cdkContext.stages[stage].concurrency.hrisWorker;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: worker.id },
      EventSourceArn: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: concurrency },
    });
    expect(worker.resource.Properties.ReservedConcurrentExecutions).toBe(concurrency);
    // The queue hides a message for several worker timeouts, so a slow batch is not handed out twice.
    expect(queue.resource.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * worker.resource.Properties.Timeout,
    );
  });

  it('alarms as soon as a change reaches the dead-letter queue', () => {
    const { template } = synthStage(stage);
    const dlq = only(template, 'AWS::SQS::Queue', {
      Properties: { QueueName: `tandem-${stage}-hris-changes-dlq.fifo` },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tandem-${stage}-hris-changes-dlq`,
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq.id, 'QueueName'] } }],
    });
  });
});
