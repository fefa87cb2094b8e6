import type { Reaction } from '../reactions/reactions.ts';
import { evaluateMilestoneRules, milestoneRuleEventTypes } from './evaluate-milestone-rules.ts';

/** Programs' milestone rules, evaluated after each event that may change their answer. */
export const milestoneRulesReaction: Reaction = {
  name: 'milestone-rules',
  eventTypes: milestoneRuleEventTypes,
  async react(ctx, event) {
    await evaluateMilestoneRules(ctx, event);
  },
};
