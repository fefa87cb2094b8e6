import type { TenantContext } from '../context.ts';
import { withdrawEnrollment } from '../enrollments/withdraw-enrollment.ts';
import { endRelationship } from '../relationships/end-relationship.ts';

const ongoing = new Set(['active', 'pending_agreement']);

/**
 * What a leaver's departure does beyond their status: every ongoing relationship of theirs is
 * dissolved with `left_organization` (their partners return to the pool) and every open
 * enrollment is withdrawn, each with its own event; history stays. Safe to run again: a retried
 * deprovisioning finishes whatever an interrupted one left.
 */
export async function endEngagements(ctx: TenantContext, personId: string): Promise<void> {
  const admin = { ...ctx, actor: { kind: 'admin' as const } };
  const relationships = await ctx.store.relationships.ofPerson(personId);
  for (const relationship of relationships.filter((r) => ongoing.has(r.status)))
    await endRelationship(admin, relationship.id, { to: 'dissolved', reason: 'left_organization' }, {});
  for (const enrollment of await ctx.store.enrollments.activeOfPerson(personId))
    await withdrawEnrollment(ctx, enrollment.programId, enrollment.id, {});
}
