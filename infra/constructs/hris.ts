import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { tandemFunction } from './function.ts';
import type { Observability } from './observability.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface HrisProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
  cursorSecret: ISecret;
  observability: Observability;
}

const WORKER_TIMEOUT = Duration.seconds(60);

/**
 * Inbound HRIS changes: the webhook route (API function) verifies and queues them on a FIFO queue,
 * one message group per employee, and the worker applies them in order. Changes that keep failing
 * end in a dead-letter queue, whose depth raises an alarm.
 */
export class Hris extends Construct {
  readonly queue: Queue;
  readonly worker: LambdaFunction;

  constructor(scope: Construct, id: string, { stage, config, data, cursorSecret, observability }: HrisProps) {
    super(scope, id);
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const deadLetters = new Queue(this, 'DeadLetters', {
      queueName: `tandem-${stage}-hris-changes-dlq.fifo`,
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue.',
    });
    this.queue = new Queue(this, 'ChangeQueue', {
      queueName: `tandem-${stage}-hris-changes.fifo`,
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
      removalPolicy,
    });

    this.worker = tandemFunction(this, 'WorkerFunction', {
      stage,
      config,
      name: 'hris-worker',
      memorySize: 512,
      timeout: WORKER_TIMEOUT,
      reservedConcurrency: config.concurrency.hrisWorker,
      environment: { TABLE_NAME: data.table.tableName, CURSOR_SECRET_ARN: cursorSecret.secretArn },
    });
    // Changes arrive for every tenant, driven by the queue, so the worker uses platform access.
    this.worker.addToRolePolicy(
      new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }),
    );
    data.grantKeyUse(this.worker, 'readWrite');
    data.acknowledgeIndexWildcard(this.worker);
    cursorSecret.grantRead(this.worker);
    // API credentials: fetches use them, and a token exchange keeps the new pair.
    data.grantSealing(this.worker);
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: config.concurrency.hrisWorker,
      }),
    );

    observability.alarm('hris-changes-dlq', {
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      description: 'HRIS employee changes failed repeatedly and sit in the dead-letter queue',
      threshold: 1,
    });
    observability.watchFunction('hris-worker', this.worker, { errors: true });
  }

  /** The webhook route queues verified changes. */
  grantSend(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment('HRIS_QUEUE_URL', this.queue.queueUrl);
  }
}
