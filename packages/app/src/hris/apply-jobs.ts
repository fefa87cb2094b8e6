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
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      for (const [position, index] of indexes.entries()) {
        const job = jobs[index]!;
        try {
          const ctx = contextOf(job.tenantId);
          const whole = job.fetch ? await fetchEmployee(ctx, job) : job;
          if (whole) await applyEmployeeChange(ctx, whole);
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
