import { type Award, derivedId, type EventData, NotFoundError } from '@tandem/core';
import type { RecognitionStarter, TenantContext } from '../context.ts';

/**
 * Grants the award a milestone rule names when a person earns its milestone, and starts the
 * recognition workflow that certifies and announces it. The award and the (rule, person) marker
 * are written together, conditionally, so however often and in whatever order the event arrives
 * the milestone awards once; a repeat only restarts the workflow of an award still being granted
 * (a start lost to a crash), which its steps make safe to run again.
 */
export async function grantMilestoneAward(
  ctx: TenantContext & { recognition: { starter: RecognitionStarter } },
  eventId: string,
  earned: EventData<'milestone.earned'>,
): Promise<Award | undefined> {
  const { store } = ctx;
  if (!earned.awardTypeId) return undefined;
  try {
    await store.awardTypes.get(earned.awardTypeId);
  } catch (error) {
    // A rule may name an award type that was never defined here: nothing to award.
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const now = ctx.clock().toISOString();
  const candidate: Award = {
    id: derivedId('award', eventId, 0),
    personId: earned.personId,
    awardTypeId: earned.awardTypeId,
    programId: earned.programId,
    source: { kind: 'milestone', ruleId: earned.ruleId, milestone: earned.milestone },
    status: 'granting',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const created = await store.awards.createOnce(candidate);
  const awardId = created
    ? candidate.id
    : await store.awards.milestoneAwardId(earned.ruleId, earned.personId);
  if (!awardId) return undefined;
  const value = await store.awards.get(awardId);
  if (value.status === 'granting')
    await ctx.recognition.starter.start({ tenantId: ctx.tenantId, awardId, mode: 'evaluate' });
  return value;
}
