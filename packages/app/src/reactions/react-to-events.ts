import type { StoredEvent } from '@tandem/core';
import { type Reaction, type ReactionContext, reactions as registered } from './reactions.ts';

export interface ReactionDeps {
  /** One tenant's repositories: events carry their tenant, and each reaction stays inside it. */
  contextFor(tenantId: string): ReactionContext;
  /** The registered reactions by default. */
  reactions?: readonly Reaction[];
  /** Events reacted to at once; order between them is not kept (reactions must not need it). */
  concurrency?: number;
}

/**
 * Runs every reaction subscribed to each event. A batch fails as a whole when any reaction
 * failed, after every other one ran: the host redelivers the batch, and the reactions that
 * succeeded find their work done.
 */
export async function reactToEvents(deps: ReactionDeps, events: readonly StoredEvent[]): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < events.length) {
      const event = events[next++]!;
      const subscribed = (deps.reactions ?? registered).filter((r) => r.eventTypes.includes(event.type));
      if (subscribed.length === 0) continue;
      const ctx = deps.contextFor(event.tenantId);
      const outcomes = await Promise.allSettled(subscribed.map((reaction) => reaction.react(ctx, event)));
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'rejected')
          failures.push(
            Object.assign(new Error(`Reaction ${subscribed[i]!.name} to ${event.type} ${event.id} failed`), {
              cause: outcome.reason,
            }),
          );
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 8, events.length) }, lane));
  if (failures.length) throw new AggregateError(failures, `${failures.length} reaction(s) failed`);
}
