import type { EmployeeChange, HrisProvider } from '@tandem/core';
import type { ApiUrlPolicy } from '@tandem/integrations';
import type { WriteOp } from '@tandem/store';
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
 * A delivery's receipt as the queue sees it: `claim` writes the dedup claim and the log entry, with
 * `ops` in the same transaction, and says whether the delivery is new; `release` forgets the claim.
 */
export interface HrisReceipt {
  claim(ops: WriteOp[]): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Where verified changes wait to be applied: SQS FIFO in AWS, the table locally. Jobs of one
 * employee share a group (hrisJobGroup), so one worker at a time applies them, in order.
 * `enqueue` claims the receipt and queues the jobs of a new delivery, so that an acknowledged
 * delivery's jobs are never lost: a queue in the table writes them in the claim's transaction; any
 * other queue sends them after the claim and releases it if sending fails (the provider's retry
 * is then taken, not dropped as a duplicate). False for a duplicate: nothing is queued.
 */
export interface HrisQueue {
  enqueue(jobs: HrisJob[], receipt: HrisReceipt): Promise<boolean>;
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
