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
 * Runs every reaction subscribed to each event: per event, or per tenant's share of the batch for
 * a reaction that does events together. A batch fails as a whole when any reaction failed, after
 * every other one ran: the host redelivers the batch, and the reactions that succeeded find their
 * work done.
 */
export async function reactToEvents(deps: ReactionDeps, events: readonly StoredEvent[]): Promise<void> {
  const failures: unknown[] = [];
  const all = deps.reactions ?? registered;
  const together = all.filter((r) => r.reactAll);
  const oneByOne = all.filter((r) => !r.reactAll);
  const failed = (what: string) => (reason: unknown) => {
    failures.push(Object.assign(new Error(what), { cause: reason }));
  };
  const byTenant = async (reaction: Reaction) => {
    const mine = events.filter((event) => reaction.eventTypes.includes(event.type));
    const tenants = new Map<string, StoredEvent[]>();
    for (const event of mine) tenants.set(event.tenantId, [...(tenants.get(event.tenantId) ?? []), event]);
    await Promise.all(
      [...tenants].map(([tenantId, share]) =>
        reaction
          .reactAll?.(deps.contextFor(tenantId), share)
          .catch(
            failed(`Reaction ${reaction.name} to ${share.length} event(s) of tenant ${tenantId} failed`),
          ),
      ),
    );
  };
  let next = 0;
  const lane = async () => {
    while (next < events.length) {
      const event = events[next++]!;
      const subscribed = oneByOne.filter((r) => r.eventTypes.includes(event.type));
      if (subscribed.length === 0) continue;
      const ctx = deps.contextFor(event.tenantId);
      const outcomes = await Promise.allSettled(subscribed.map((reaction) => reaction.react(ctx, event)));
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'rejected')
          failed(`Reaction ${subscribed[i]!.name} to ${event.type} ${event.id} failed`)(outcome.reason);
      });
    }
  };
  await Promise.all([
    ...together.map(byTenant),
    ...Array.from({ length: Math.min(deps.concurrency ?? 8, events.length) }, lane),
  ]);
  if (failures.length) throw new AggregateError(failures, `${failures.length} reaction(s) failed`);
}
