import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { metricsNamespace, serviceName, tandemFunction } from './function.ts';
import type { Observability } from './observability.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface ScheduledJobProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
  cursorSecret: ISecret;
  observability: Observability;
}

/**
 * The one scheduled job: EventBridge Scheduler invokes its function every minute, and each pass
 * does every tenant's timers that fell due (survey instances, nudges, health, program ends). A
 * pass that fails or is skipped is caught up by the next: due timers stay due until handled, so
 * the schedule needs no retries of its own.
 */
export class ScheduledJob extends Construct {
  readonly handler: LambdaFunction;
  readonly schedule: Schedule;

  constructor(
    scope: Construct,
    id: string,
    { stage, config, data, cursorSecret, observability }: ScheduledJobProps,
  ) {
    super(scope, id);
    this.handler = tandemFunction(this, 'Function', {
      stage,
      config,
      name: 'scheduled-job',
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrency: config.concurrency.scheduledJob,
      environment: { TABLE_NAME: data.table.tableName, CURSOR_SECRET_ARN: cursorSecret.secretArn },
    });
    // Every tenant's timers: platform access, like the other background functions.
    this.handler.addToRolePolicy(
      new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }),
    );
    // A page of health evaluations reads its relationships' partitions in a few PartiQL selects
    // (partition key IN a list: queries, never a scan) instead of a query each.
    this.handler.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PartiQLSelect'], resources: [data.table.tableArn] }),
    );
    data.grantKeyUse(this.handler, 'readWrite');
    data.acknowledgeIndexWildcard(this.handler);
    cursorSecret.grantRead(this.handler);
    // HRIS reconciliation calls providers' APIs with the connections' credentials, and the one-off
    // sweep seals the secrets tenants stored before sealing.
    data.grantSealing(this.handler);

    const invoker = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler invokes the scheduled job',
    });
    Validations.of(invoker).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.handler.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason: 'The invoke grant covers the function’s versions (`:*`); only this one function.',
    });
    this.schedule = new Schedule(this, 'EveryMinute', {
      scheduleName: `tandem-${stage}-scheduled-job`,
      description: 'One pass of the scheduled job over every tenant’s due timers',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(this.handler, {
        role: invoker,
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });

    observability.watchFunction('scheduled-job', this.handler, { errors: true });
    // A handler that throws leaves its timer due, so the alarm stays raised while it keeps failing
    // (an HRIS pull that fails is not one: it is logged on its connection and retried).
    observability.alarm('scheduled-job-timers-failed', {
      metric: new Metric({
        namespace: metricsNamespace(stage),
        metricName: 'TimersFailed',
        dimensionsMap: { service: serviceName('scheduled-job') },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      description:
        'Timers of the scheduled job failed (survey, health, program end, erasure, HRIS); the function log names the kind and subject',
      threshold: 1,
    });
  }
}
