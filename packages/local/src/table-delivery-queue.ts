import type { Db } from '@tandem/store';
import { type DeliveryJob, type DeliveryQueue, jobKey } from '@tandem/webhooks';
import { LocalQueueStore } from './local-queue.ts';

/** The local runtime's queue: jobs wait in the table until due (SQS's role in AWS). */
export class TableDeliveryQueue implements DeliveryQueue {
  readonly store: LocalQueueStore<DeliveryJob>;

  constructor(db: Db) {
    this.store = new LocalQueueStore<DeliveryJob>(db);
  }

  enqueue(job: DeliveryJob): Promise<void> {
    return this.store.put(jobKey(job), job, new Date(job.dueAt));
  }
}
