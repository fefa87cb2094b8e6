import type { EventType, StoredEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** What a reaction runs against: the event's tenant, with the host's clock. */
export type ReactionContext = TenantContext;

/**
 * Work that follows a committed domain event (analytics, milestone rules, recognition). The
 * stream delivers each event at least once, and reactions to different events run concurrently
 * and may see them out of order, so `react` must be idempotent and order-independent: recompute
 * from source data, or commit the effect with a conditional marker of the event.
 */
export interface Reaction {
  name: string;
  eventTypes: readonly EventType[];
  react(ctx: ReactionContext, event: StoredEvent): Promise<void>;
}

/** Every reaction; a feature adds its entry here. */
export const reactions: Reaction[] = [];
