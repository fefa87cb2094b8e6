/** One delivery attempt to make: which delivery, and at which attempt count it was queued. */
export interface DeliveryJob {
  tenantId: string;
  endpointId: string;
  deliveryId: string;
  attempt: number;
  /** When the attempt is due; a job that arrives early is put back. */
  dueAt: string;
}

/** The next page of a recovery: re-send one page of events to an endpoint, then queue the next. */
export interface RecoveryJob {
  kind: 'recovery';
  tenantId: string;
  endpointId: string;
  recoveryId: string;
  /** The page this job does; a job for a page already done is dropped. */
  page: number;
  dueAt: string;
}

export type QueueJob = DeliveryJob | RecoveryJob;

export const isRecoveryJob = (job: QueueJob): job is RecoveryJob => 'kind' in job && job.kind === 'recovery';

/** SQS in AWS, a table-backed queue locally: the same jobs, the same worker code. */
export interface DeliveryQueue {
  enqueue(job: QueueJob): Promise<void>;
}

export const jobKey = (job: QueueJob) =>
  isRecoveryJob(job)
    ? `${job.tenantId}#${job.endpointId}#${job.recoveryId}#${job.page}`
    : `${job.tenantId}#${job.endpointId}#${job.deliveryId}#${job.attempt}`;
