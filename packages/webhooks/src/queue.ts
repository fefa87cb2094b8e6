/** One delivery attempt to make: which delivery, and at which attempt count it was queued. */
export interface DeliveryJob {
  tenantId: string;
  endpointId: string;
  deliveryId: string;
  attempt: number;
  /** When the attempt is due; a job that arrives early is put back. */
  dueAt: string;
}

/** SQS in AWS, a table-backed queue locally: the same jobs, the same worker code. */
export interface DeliveryQueue {
  enqueue(job: DeliveryJob): Promise<void>;
}

export const jobKey = (job: DeliveryJob) =>
  `${job.tenantId}#${job.endpointId}#${job.deliveryId}#${job.attempt}`;
