import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type HrisJob, type HrisQueue, type HrisReceipt, hrisJobGroup } from '@tandem/app';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * AWS: HRIS changes travel through an SQS FIFO queue, one message group per employee (hashed: group
 * ids hold at most 128 characters), so the worker applies one employee's changes one at a time.
 * SQS is no part of a DynamoDB transaction: a delivery's receipt is claimed first, its jobs sent
 * after, and the claim released if SQS refuses them, so the provider's retry of the 5xx is taken.
 */
export class SqsHrisQueue implements HrisQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: HrisJob[], receipt: HrisReceipt): Promise<boolean> {
    if (!(await receipt.claim([]))) return false;
    try {
      await this.send(jobs);
    } catch (error) {
      await receipt.release();
      throw error;
    }
    return true;
  }

  private async send(jobs: HrisJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += 10) {
      const batch = jobs.slice(start, start + 10);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((job, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(job),
            MessageGroupId: hash(hrisJobGroup(job)),
            MessageDeduplicationId: hash(JSON.stringify(job)),
          })),
        }),
      );
      if (Failed.length)
        throw new Error(`SQS refused ${Failed.length} HRIS change(s): ${Failed[0]?.Message}`);
    }
  }
}
