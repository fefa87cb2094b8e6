import { type DeliveryDeps, processJob, type QueueJob } from '@tandem/webhooks';
import type { LocalQueueStore } from './local-queue.ts';

/** The local stand-in for the SQS → delivery Lambda trigger: works off due jobs from the table queue. */
export async function workDueJobs(
  queue: LocalQueueStore<QueueJob>,
  deps: DeliveryDeps,
  batch = 10,
): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const entries = await queue.leaseDue(now, batch, deps.policy.leaseMs);
  await Promise.all(
    entries.map(async (entry) => {
      // On an error the entry stays leased and comes back when the lease ends, like an SQS message.
      await processJob(entry.body, deps);
      await queue.done(entry);
    }),
  );
  return entries.length;
}
