import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FilterCriteria,
  FilterRule,
  type IFunction,
  type Function as LambdaFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { metricsNamespace, serviceName, tandemFunction } from './function.ts';
import type { Observability } from './observability.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface WebhooksProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
  cursorSecret: ISecret;
  observability: Observability;
}

/** A delivery gets 15 s for the POST; the rest is DynamoDB bookkeeping. */
const DELIVERY_TIMEOUT = Duration.seconds(30);

/**
 * Outbound webhooks: outbox items on the table's stream → relay function → delivery queue →
 * delivery function → signed POST. Poison messages and stream batches that keep failing end in
 * dead-letter queues, whose depth raises an alarm.
 */
export class Webhooks extends Construct {
  readonly queue: Queue;
  readonly relay: LambdaFunction;
  readonly delivery: LambdaFunction;

  constructor(
    scope: Construct,
    id: string,
    { stage, config, data, cursorSecret, observability }: WebhooksProps,
  ) {
    super(scope, id);
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const deadLetters = (name: string) =>
      new Queue(this, `${name}DeadLetters`, {
        queueName: `tandem-${stage}-${name.toLowerCase()}-dlq`,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
    const deliveryDlq = deadLetters('Delivery');
    const relayDlq = deadLetters('Relay');
    for (const dlq of [deliveryDlq, relayDlq])
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue.',
      });

    this.queue = new Queue(this, 'DeliveryQueue', {
      queueName: `tandem-${stage}-webhook-deliveries`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Several times the function timeout, so a slow batch is not handed out twice.
      visibilityTimeout: DELIVERY_TIMEOUT.plus(Duration.seconds(150)),
      deadLetterQueue: { queue: deliveryDlq, maxReceiveCount: 5 },
      removalPolicy,
    });

    const environment = { TABLE_NAME: data.table.tableName, WEBHOOK_QUEUE_URL: this.queue.queueUrl };
    this.relay = tandemFunction(this, 'RelayFunction', {
      stage,
      config,
      name: 'webhook-relay',
      memorySize: 512,
      timeout: Duration.seconds(60),
      reservedConcurrency: config.concurrency.webhookRelay,
      environment,
    });
    this.delivery = tandemFunction(this, 'DeliveryFunction', {
      stage,
      config,
      name: 'webhook-delivery',
      memorySize: 512,
      timeout: DELIVERY_TIMEOUT,
      reservedConcurrency: config.concurrency.webhookDelivery,
      // A recovery pages through the outbox with cursors; the relay pages through nothing.
      environment: { ...environment, CURSOR_SECRET_ARN: cursorSecret.secretArn },
    });
    for (const fn of [this.relay, this.delivery]) this.grantWorker(fn, data);
    cursorSecret.grantRead(this.delivery);
    // Deliveries are signed with the endpoints' secrets; the relay reads none.
    data.grantSealing(this.delivery);

    this.relay.addEventSource(
      new DynamoEventSource(data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        // Past a day an event is better replayed with POST …/recover than retried blindly.
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(relayDlq),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('event') } } },
          }),
        ],
      }),
    );
    Validations.of(this.relay).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams has no resource-level permissions; the stream event source grants only that on *.',
    });
    this.delivery.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Pollers beyond the reserved concurrency would only be throttled and push jobs toward the DLQ.
        maxConcurrency: config.concurrency.webhookDelivery,
      }),
    );

    observability.alarm('webhook-delivery-dlq', {
      metric: deliveryDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      description: 'Webhook delivery jobs failed repeatedly and sit in the dead-letter queue',
      threshold: 1,
    });
    observability.alarm('webhook-relay-dlq', {
      metric: relayDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      description:
        'Outbox events could not be relayed; replay them with POST /v1/webhook-endpoints/{id}/recover',
      threshold: 1,
    });
    observability.alarm('webhook-deliveries-failed', {
      metric: new Metric({
        namespace: metricsNamespace(stage),
        metricName: 'WebhookDeliveries',
        dimensionsMap: { service: serviceName('webhook-delivery'), outcome: 'failed' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      description:
        'Webhook deliveries failed after every retry of the schedule; the delivery log of the endpoint shows the attempts',
      threshold: 1,
    });
    observability.alarm('webhook-queue-age', {
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
      description: `A webhook delivery job has waited over ${config.alarms.webhookQueueAgeMinutes} minutes: deliveries are falling behind`,
      threshold: config.alarms.webhookQueueAgeMinutes * 60,
    });
    observability.watchFunction('webhook-relay', this.relay, { errors: true });
    observability.watchFunction('webhook-delivery', this.delivery, { errors: true });
  }

  /** The API queues test pings, redeliveries and recoveries. */
  grantEnqueue(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
  }

  /** Relay and delivery work for every tenant (driven by the stream and the queue), so they use platform access. */
  private grantWorker(fn: LambdaFunction, data: TandemTable) {
    fn.addToRolePolicy(new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }));
    data.grantKeyUse(fn, 'readWrite');
    data.acknowledgeIndexWildcard(fn);
    this.queue.grantSendMessages(fn);
  }
}
