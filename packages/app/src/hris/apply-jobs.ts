import type { HrisChangeReads } from '@tandem/store';
import { applyEmployeeChange } from './apply-employee-change.ts';
import { fetchEmployee } from './fetch-employee.ts';
import { type HrisApiContext, type HrisJob, hrisJobGroup } from './ports.ts';

/**
 * Applies a batch of queued changes as SQS FIFO hands them over: one employee's changes in their
 * order, one at a time; different employees side by side. A thin delivery's job first fetches the
 * employee through the provider's API. Returns the jobs that failed, by index,
 * so that only those are delivered again.
 */
export async function applyHrisJobs(
  contextOf: (tenantId: string) => HrisApiContext,
  jobs: HrisJob[],
  onError: (error: unknown, job: HrisJob) => void = () => {},
): Promise<number[]> {
  const groups = new Map<string, number[]>();
  jobs.forEach((job, index) => {
    const group = hrisJobGroup(job);
    groups.set(group, [...(groups.get(group) ?? []), index]);
  });
  const failed: number[] = [];
  const readAlready = await firstReads(contextOf, jobs, [...groups.values()]).catch(() => new Map());
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      for (const [position, index] of indexes.entries()) {
        const job = jobs[index]!;
        try {
          const ctx = contextOf(job.tenantId);
          const whole = job.fetch ? await fetchEmployee(ctx, job) : job;
          if (whole) await applyEmployeeChange(ctx, whole, readAlready.get(index));
        } catch (error) {
          onError(error, job);
          // Later changes of the employee wait behind the failed one, as FIFO keeps them.
          failed.push(...indexes.slice(position));
          return;
        }
      }
    }),
  );
  return failed.sort((a, b) => a - b);
}

/**
 * What applying reads for the first change of each employee, read together per tenant (one
 * BatchGetItem for a batch instead of one per change). Only first changes: a later change of the
 * same employee must read what the one before it wrote. Thin changes read after their fetch.
 * A failed read leaves each change to read for itself.
 */
async function firstReads(
  contextOf: (tenantId: string) => HrisApiContext,
  jobs: HrisJob[],
  groups: number[][],
): Promise<Map<number, HrisChangeReads>> {
  const byTenant = new Map<string, number[]>();
  for (const [first] of groups) {
    const job = jobs[first!]!;
    if (!job.fetch) byTenant.set(job.tenantId, [...(byTenant.get(job.tenantId) ?? []), first!]);
  }
  const reads = new Map<number, HrisChangeReads>();
  await Promise.all(
    [...byTenant].map(async ([tenantId, indexes]) => {
      const found = await contextOf(tenantId).store.hrisInbox.changeReadsOf(
        indexes.map((index) => {
          const { connectionId, provider, change } = jobs[index]!;
          return {
            connectionId,
            provider,
            externalId: change.snapshot.externalId,
            email: change.snapshot.email,
          };
        }),
      );
      for (const [i, index] of indexes.entries()) reads.set(index, found[i]!);
    }),
  );
  return reads;
}
