import { type EventType, eventDataSchemas, type StoredEvent } from '@tandem/core';
import { analyticsEventTypes, projectEvent, projectEvents } from '../analytics/project-event.ts';
import type { RecognitionStarter, TenantContext } from '../context.ts';
import { milestoneRulesReaction } from '../milestone-rules/milestone-rules-reaction.ts';
import { grantMilestoneAward } from '../recognition/milestone-awards.ts';

/** What a reaction runs against: the event's tenant, with the host's clock, and the workflows it may start. */
export interface ReactionContext extends TenantContext {
  recognition: { starter: RecognitionStarter };
}

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
  /**
   * The same work over many events of one tenant at once, when doing them together costs less
   * (the host then hands it each tenant's share of a batch instead of calling `react` per event).
   */
  reactAll?(ctx: ReactionContext, events: StoredEvent[]): Promise<void>;
}

/** Every reaction; a feature adds its entry here. */
export const reactions: Reaction[] = [
  milestoneRulesReaction,
  { name: 'analytics', eventTypes: analyticsEventTypes, react: projectEvent, reactAll: projectEvents },
  {
    name: 'milestone-award',
    eventTypes: ['milestone.earned'],
    react: async (ctx, event) => {
      await grantMilestoneAward(ctx, event.id, eventDataSchemas['milestone.earned'].parse(event.data));
    },
  },
];
