import type { EarnedMilestone } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { assertSelfOrAdmin } from '../participants/access.ts';

/** The milestones a person earned by programs' rules; a participant reads only their own. */
export async function listMilestonesEarned(
  ctx: ActorContext,
  personId: string,
  page: PageRequest,
): Promise<Page<EarnedMilestone>> {
  assertSelfOrAdmin(ctx.actor, personId);
  await ctx.store.people.get(personId);
  return ctx.store.milestoneRules.earned(personId, page);
}
