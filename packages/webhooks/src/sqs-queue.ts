import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, QueueJob } from './queue.ts';

/** SQS holds a message back at most 15 minutes; longer waits hop through several sends. */
const MAX_DELAY_SECONDS = 900;

/** AWS: jobs travel through SQS; the delivery function puts back any job that arrives early. */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async enqueue(job: QueueJob): Promise<void> {
    const waitSeconds = Math.ceil((Date.parse(job.dueAt) - this.now().getTime()) / 1000);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, waitSeconds)),
      }),
    );
  }
}
