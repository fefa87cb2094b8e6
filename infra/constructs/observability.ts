import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';

export interface ObservabilityProps {
  stage: string;
  config: StageConfig;
}

export interface AlarmOptions {
  metric: IMetric;
  description: string;
  /** Raised when the metric is at or above this value. */
  threshold: number;
  evaluationPeriods?: number;
}

const FIVE_MINUTES = Duration.minutes(5);

/** The stage's alarm topic and the alarms that publish to it. Capabilities register their alarms here. */
export class Observability extends Construct {
  readonly topic: Topic;
  private readonly stage: string;

  constructor(scope: Construct, id: string, { stage, config }: ObservabilityProps) {
    super(scope, id);
    this.stage = stage;
    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the topic gets its own.
    const key = new Key(this, 'TopicKey', {
      description: `Encrypts the Tandem ${stage} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      topicName: `tandem-${stage}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarms.email) this.topic.addSubscription(new EmailSubscription(config.alarms.email));
  }

  /** An alarm on `metric` that notifies the stage's topic when raised and when it clears. */
  alarm(id: string, options: AlarmOptions): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `tandem-${this.stage}-${id}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    return alarm;
  }

  /** Share of 5xx answers. API Gateway's 5XXError averaged over requests is that share. */
  watchApi(api: RestApi, serverErrorRate: number): void {
    this.alarm('api-5xx-rate', {
      metric: api.metricServerError({ statistic: 'Average', period: FIVE_MINUTES }),
      description: `More than ${serverErrorRate * 100}% of API requests failed with a 5xx over 5 minutes`,
      threshold: serverErrorRate,
    });
  }

  /**
   * Throttles always; invocation errors only where an error means a fault. (The authorizer reports a
   * refused credential by throwing `Unauthorized`, so its error count is mostly callers' mistakes; its
   * real failures surface as 5xx answers of the API.)
   */
  watchFunction(name: string, fn: IFunction, { errors }: { errors: boolean }): void {
    this.alarm(`${name}-throttles`, {
      metric: fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
      description: `The ${name} function was throttled`,
      threshold: 1,
    });
    if (errors)
      this.alarm(`${name}-errors`, {
        metric: fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        description: `The ${name} function failed (uncaught errors or timeouts)`,
        threshold: 1,
      });
  }

  watchTable(table: Table): void {
    this.alarm('table-throttles', {
      metric: table.metricThrottledRequestsForOperations({
        operations: [
          Operation.GET_ITEM,
          Operation.QUERY,
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.DELETE_ITEM,
          Operation.TRANSACT_WRITE_ITEMS,
        ],
        period: FIVE_MINUTES,
      }),
      description: 'DynamoDB throttled requests to the table',
      threshold: 1,
    });
  }
}
