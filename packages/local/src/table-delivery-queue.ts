import type { Db } from '@tandem/store';
import { type DeliveryQueue, jobKey, type QueueJob } from '@tandem/webhooks';
import { LocalQueueStore } from './local-queue.ts';

/** The local runtime's queue: jobs wait in the table until due (SQS's role in AWS). */
export class TableDeliveryQueue implements DeliveryQueue {
  readonly store: LocalQueueStore<QueueJob>;

  constructor(db: Db) {
    this.store = new LocalQueueStore<QueueJob>(db);
  }

  enqueue(job: QueueJob): Promise<void> {
    return this.store.put(jobKey(job), job, new Date(job.dueAt));
  }
}
