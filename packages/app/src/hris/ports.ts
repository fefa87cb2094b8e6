import type { EmployeeChange, HrisProvider } from '@tandem/core';
import type { ApiUrlPolicy } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';

/** One employee change to apply, as the ingest route queues it. */
export interface HrisJob {
  tenantId: string;
  connectionId: string;
  provider: HrisProvider;
  eventType: string;
  change: EmployeeChange;
  /** The delivery only named the employee: the worker fetches them through the provider's API first. */
  fetch?: true;
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

/**
 * Calls to providers' APIs (thin webhooks, reconciliation) pass the webhooks' SSRF policy; where a
 * host gives none, AWS's applies (https to public addresses only).
 */
export interface HrisApiContext extends TenantContext {
  hrisApi?: { urlPolicy: ApiUrlPolicy };
}

export interface HrisContext extends HrisApiContext {
  hris: { queue: HrisQueue };
}
