import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { cdkContext, only, synthesizeOne, synthStage, withStage } from './synth.ts';

describe.each(stageNames)('observability (%s)', (stage) => {
  it('sends every alarm, raised and cleared, to the stage’s encrypted topic', () => {
    const { template } = synthStage(stage);
    const topic = only(template, 'AWS::SNS::Topic', { Properties: { TopicName: `tandem-${stage}-alarms` } });
    expect(topic.resource.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/TopicKey/), 'Arn'],
    });
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      [
        'api-5xx-rate',
        'api-errors',
        'api-throttles',
        'authorizer-throttles',
        'event-reactions-dlq',
        'event-reactions-errors',
        'event-reactions-throttles',
        'hris-changes-dlq',
        'hris-worker-errors',
        'hris-worker-throttles',
        'matching-run-failed',
        'recognition-failed',
        'scheduled-job-errors',
        'scheduled-job-throttles',
        'scheduled-job-timers-failed',
        'table-throttles',
        'webhook-deliveries-failed',
        'webhook-delivery-dlq',
        'webhook-delivery-errors',
        'webhook-delivery-throttles',
        'webhook-queue-age',
        'webhook-relay-dlq',
        'webhook-relay-errors',
        'webhook-relay-throttles',
      ].map((name) => `tandem-${stage}-${name}`),
    );
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic.id }]);
      expect(alarm.OKActions).toEqual([{ Ref: topic.id }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('alarms on the 5xx share of API requests at the stage’s threshold', () => {
    const { template } = synthStage(stage);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tandem-${stage}-api-5xx-rate`,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Average',
      Threshold: cdkContext.stages[stage].alarms.serverErrorRate,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('traces with X-Ray where the stage asks for it', () => {
    const { template } = synthStage(stage);
    const tracing = cdkContext.stages[stage].tracing;
    // Tandem's own functions; CDK's provider that empties the blob bucket on teardown is not traced.
    const functions = Object.values<any>(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.FunctionName,
    );
    expect(functions.length).toBeGreaterThan(5);
    for (const fn of functions)
      expect(fn.Properties.TracingConfig?.Mode).toBe(tracing ? 'Active' : undefined);
    expect(only(template, 'AWS::ApiGateway::Stage').resource.Properties.TracingEnabled).toBe(tracing);
    for (const stateMachine of Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine')))
      expect(stateMachine.Properties.TracingConfiguration?.Enabled ?? false).toBe(tracing);
  });
});

describe.each(stageNames)('Powertools in every function (%s)', (stage) => {
  const { template } = synthStage(stage);
  const config = cdkContext.stages[stage];
  const functions = Object.values<any>(template.findResources('AWS::Lambda::Function')).filter(
    (fn) => fn.Properties.FunctionName,
  );
  const statementsOf = (fn: any) =>
    Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((role: any) => role.Ref === fn.Properties.Role['Fn::GetAtt'][0]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);

  it('names the service and metrics namespace, and traces SDK clients only where the stage traces', () => {
    expect(functions).toHaveLength(19);
    for (const fn of functions)
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: fn.Properties.FunctionName.replace(`-${stage}`, ''),
        POWERTOOLS_METRICS_NAMESPACE: `Tandem/${stage}`,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        POWERTOOLS_TRACE_ENABLED: String(config.tracing),
      });
  });

  it('writes metrics as EMF log lines (no PutMetricData), and may write X-Ray segments only where it traces', () => {
    for (const fn of functions) {
      const actions = statementsOf(fn).flatMap((s: any) => [s.Action].flat());
      expect(actions).not.toContain('cloudwatch:PutMetricData');
      if (config.tracing)
        expect(actions).toEqual(
          expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
        );
      else expect(actions.filter((a: string) => a.startsWith('xray:'))).toEqual([]);
    }
  });

  it('gives the authorizer the stage’s authorizer cache TTL for its key cache', () => {
    const authorizer = functions.find((fn) => fn.Properties.FunctionName === `tandem-${stage}-authorizer`);
    expect(authorizer.Properties.Environment.Variables.AUTHORIZER_CACHE_SECONDS).toBe(
      String(config.api.authorizerCacheSeconds),
    );
  });
});

describe('alarm subscriptions', () => {
  it('subscribes the configured email, and nobody when none is set', () => {
    const { template } = synthesizeOne(
      withStage('staging', (config) => (config.alarms.email = 'ops@example.com')),
    );
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    synthStage('staging').template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
