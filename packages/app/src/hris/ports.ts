import type { EmployeeChange, HrisProvider } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** One employee change to apply, as the ingest route queues it. */
export interface HrisJob {
  tenantId: string;
  connectionId: string;
  provider: HrisProvider;
  eventType: string;
  change: EmployeeChange;
}

/**
 * Where verified changes wait to be applied: SQS FIFO in AWS, the table locally. Jobs of one
 * employee share a group (hrisJobGroup), so one worker at a time applies them, in order.
 */
export interface HrisQueue {
  send(jobs: HrisJob[]): Promise<void>;
}

export const hrisJobGroup = (job: HrisJob) =>
  `${job.tenantId}#${job.connectionId}#${job.change.snapshot.externalId}`;

export interface HrisContext extends TenantContext {
  hris: { queue: HrisQueue };
}
