import type { StoredDelivery } from '@tandem/store';
import {
  attemptClaimed,
  type DeliveryDeps,
  type DeliveryJob,
  processJob,
  type QueueJob,
} from '@tandem/webhooks';
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

/**
 * First attempts of the deliveries the relay created claimed (RelayDeps.attemptNew), at most
 * `concurrency` at a time, each starting as soon as a slot frees up: a slow receiver holds one
 * slot, not a round of them.
 */
export class FirstAttempts {
  private active = 0;
  private readonly turns: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly concurrency: number,
  ) {}

  /**
   * Attempts a delivery the relay created claimed. One that waited past its claim for a slot
   * (someone else may hold it by now), or that a stopping runtime will not attempt, goes to the
   * queue instead, due when the claim ends, and is claimed there like any job.
   */
  async attempt(claimed: StoredDelivery, job: DeliveryJob, claimedUntil: number): Promise<void> {
    // A finishing attempt hands its slot straight to the next in line, so `active` stays counted.
    if (this.active < this.concurrency) this.active++;
    else await new Promise<void>((resolve) => this.turns.push(resolve));
    try {
      const now = (this.deps.now?.() ?? new Date()).getTime();
      if (!this.stopped && now < claimedUntil) await attemptClaimed(claimed, this.deps);
      else
        await this.deps.queue.enqueue({ ...job, dueAt: new Date(Math.max(now, claimedUntil)).toISOString() });
    } finally {
      const next = this.turns.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Attempts not yet started go to the queue from now on. */
  stop(): void {
    this.stopped = true;
  }
}
