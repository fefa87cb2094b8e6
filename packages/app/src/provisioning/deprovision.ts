import { ConflictError } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { withdrawEnrollment } from '../enrollments/withdraw-enrollment.ts';
import { endRelationship } from '../relationships/end-relationship.ts';

const ongoing = new Set(['active', 'pending_agreement']);

/**
 * What a leaver's departure does beyond their status: every ongoing relationship of theirs is
 * dissolved with `left_organization` (their partners return to the pool) and every open
 * enrollment is withdrawn, each with its own event; history stays. Safe to run again, and side by
 * side: a retried deprovisioning finishes whatever an interrupted one left, and of two at once
 * each ends what the other has not.
 */
export async function endEngagements(ctx: TenantContext, personId: string): Promise<void> {
  const admin = { ...ctx, actor: { kind: 'admin' as const } };
  const relationships = await ctx.store.relationships.ofPerson(personId);
  for (const relationship of relationships.filter((r) => ongoing.has(r.status)))
    await endRelationship(admin, relationship.id, { to: 'dissolved', reason: 'left_organization' }, {}).catch(
      async (error: unknown) => {
        // Ended since it was read (a concurrent deprovisioning of the same leaver, a partner's
        // dissolve): nothing is left to do for it. Still ongoing: the refusal was about something else.
        if (!(error instanceof ConflictError)) throw error;
        if (ongoing.has((await ctx.store.relationships.get(relationship.id)).status)) throw error;
      },
    );
  for (const enrollment of await ctx.store.enrollments.activeOfPerson(personId))
    await withdrawEnrollment(ctx, enrollment.programId, enrollment.id, {});
}
