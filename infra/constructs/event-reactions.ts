import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FilterCriteria,
  FilterRule,
  type Function as LambdaFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { tandemFunction } from './function.ts';
import type { Observability } from './observability.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface EventReactionsProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
  cursorSecret: ISecret;
  observability: Observability;
}

/**
 * Reactions to domain events (analytics, milestone rules, recognition): a second consumer of the
 * table's stream beside the webhook relay, with its own retries and dead-letter queue, so a
 * failing reaction never holds back webhooks.
 */
export class EventReactions extends Construct {
  readonly handler: LambdaFunction;

  constructor(
    scope: Construct,
    id: string,
    { stage, config, data, cursorSecret, observability }: EventReactionsProps,
  ) {
    super(scope, id);
    const deadLetters = new Queue(this, 'DeadLetters', {
      queueName: `tandem-${stage}-event-reactions-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue.',
    });

    this.handler = tandemFunction(this, 'Function', {
      stage,
      config,
      name: 'event-reactions',
      memorySize: 512,
      timeout: Duration.seconds(60),
      reservedConcurrency: config.concurrency.eventReactions,
      environment: { TABLE_NAME: data.table.tableName, CURSOR_SECRET_ARN: cursorSecret.secretArn },
    });
    this.handler.addToRolePolicy(
      new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }),
    );
    data.grantKeyUse(this.handler, 'readWrite');
    data.acknowledgeIndexWildcard(this.handler);
    cursorSecret.grantRead(this.handler);

    this.handler.addEventSource(
      new DynamoEventSource(data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(deadLetters),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('event') } } },
          }),
        ],
      }),
    );
    Validations.of(this.handler).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams has no resource-level permissions; the stream event source grants only that on *.',
    });

    observability.alarm('event-reactions-dlq', {
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      description:
        'Domain events could not be reacted to after every retry; POST /v1/programs/{id}/analytics/recompute repairs analytics',
      threshold: 1,
    });
    observability.watchFunction('event-reactions', this.handler, { errors: true });
  }
}
