import {
  domainEvent,
  type EventType,
  type MilestoneRule,
  NotFoundError,
  type Relationship,
  ruleReached,
} from '@tandem/core';
import { MilestoneAlreadyEarnedError } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { milestoneFacts } from './milestone-facts.ts';

/** The events after which a person may have met a rule: each names the relationship it changed. */
export const milestoneRuleEventTypes = [
  'meeting.logged',
  'goal.created',
  'goal.updated',
  'agreement.accepted',
  'relationship.completed',
  'relationship.dissolved',
] as const satisfies readonly EventType[];

/** An event as the reaction receives it: its type and its data. */
export interface MilestoneTriggerEvent {
  type: string;
  data: Record<string, unknown>;
}

async function relationshipsOf(ctx: TenantContext, personId: string): Promise<Relationship[]> {
  const listed = await ctx.store.relationships.ofPerson(personId);
  // Read again one by one, consistently: the event being handled may have just changed one.
  return Promise.all(listed.map((r) => ctx.store.relationships.get(r.id)));
}

/**
 * Evaluates, for one member, the rules of the program the event concerns and the cross-program
 * `mentored_people` rules of every program they take part in, and records each milestone met and
 * not yet earned with its `milestone.earned` event.
 */
async function evaluateFor(ctx: TenantContext, personId: string, programId: string): Promise<number> {
  const { milestoneRules } = ctx.store;
  const relationships = await relationshipsOf(ctx, personId);
  const programIds = new Set([programId, ...relationships.map((r) => r.programId)]);
  const rules = (await Promise.all([...programIds].map((id) => milestoneRules.all(id))))
    .flat()
    .filter((rule) => rule.programId === programId || rule.kind === 'mentored_people');
  if (rules.length === 0) return 0;
  const earned = await milestoneRules.earnedRuleIds(personId);
  const pending = rules.filter((rule) => !earned.has(rule.id));
  const byProgram = new Map<string, MilestoneRule[]>();
  for (const rule of pending) byProgram.set(rule.programId, [...(byProgram.get(rule.programId) ?? []), rule]);

  let recorded = 0;
  for (const [ruleProgram, programRules] of byProgram) {
    const facts = await milestoneFacts(
      ctx,
      personId,
      ruleProgram,
      relationships,
      new Set(programRules.map((r) => r.kind)),
    );
    for (const rule of programRules) {
      if (!ruleReached(rule, facts)) continue;
      try {
        await milestoneRules.earn(
          {
            ruleId: rule.id,
            programId: rule.programId,
            personId,
            kind: rule.kind,
            milestone: rule.name,
            ...(rule.awardTypeId !== undefined ? { awardTypeId: rule.awardTypeId } : {}),
            earnedAt: ctx.clock().toISOString(),
          },
          domainEvent('milestone.earned', {
            personId,
            programId: rule.programId,
            ruleId: rule.id,
            milestone: rule.name,
            ...(rule.awardTypeId !== undefined ? { awardTypeId: rule.awardTypeId } : {}),
          }),
        );
        recorded++;
      } catch (error) {
        // Earned meanwhile by a concurrent evaluation: it happened once, which is the point.
        if (!(error instanceof MilestoneAlreadyEarnedError)) throw error;
      }
    }
  }
  return recorded;
}

/**
 * The milestone rules' reaction to a domain event: recomputes, for each member of the relationship
 * the event names, whether they meet the rules, from stored data. Repeats and out-of-order
 * deliveries give the same answer, and the (rule, person) key of an earned milestone makes the
 * `milestone.earned` event happen once. Returns how many milestones this call recorded.
 */
export async function evaluateMilestoneRules(
  ctx: TenantContext,
  event: MilestoneTriggerEvent,
): Promise<number> {
  if (!(milestoneRuleEventTypes as readonly string[]).includes(event.type)) return 0;
  const relationshipId = event.data.relationshipId;
  if (typeof relationshipId !== 'string') return 0;
  let relationship: Relationship;
  try {
    relationship = await ctx.store.relationships.get(relationshipId);
  } catch (error) {
    if (error instanceof NotFoundError) return 0;
    throw error;
  }
  let recorded = 0;
  for (const member of relationship.members)
    recorded += await evaluateFor(ctx, member.personId, relationship.programId);
  return recorded;
}
