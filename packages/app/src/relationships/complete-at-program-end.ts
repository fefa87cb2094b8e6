import { ConflictError, type Relationship } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { endRelationship } from './end-relationship.ts';

const PAGE = 100;
/** Relationships completed at once: each is its own small transaction. */
const PARALLEL = 8;

/**
 * The instant a program with this end date is over: the end of its last day (UTC), so the
 * relationships of a program ending on the 30th run through the 30th.
 */
export const programEndsAt = (endDate: string) => new Date(Date.parse(`${endDate}T00:00:00Z`) + 86_400_000);

/**
 * Completes every ongoing relationship (active, or still pending its agreement) of a program that
 * reached its end date, each with its own `relationship.completed` event and freed seats. Safe to
 * run again or concurrently: ending is conditional on the relationship still being ongoing, and
 * one ended meanwhile is skipped. Returns how many this call completed.
 */
export async function completeAtProgramEnd(ctx: TenantContext, programId: string): Promise<number> {
  const admin = { ...ctx, actor: { kind: 'admin' as const } };
  const ongoing: Relationship[] = [];
  for (const status of ['active', 'pending_agreement'] as const) {
    let cursor: string | undefined;
    do {
      const page = await ctx.store.relationships.list({ programId, status }, { limit: PAGE, cursor });
      ongoing.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  let completed = 0;
  let next = 0;
  const worker = async () => {
    while (next < ongoing.length) {
      const relationship = ongoing[next++]!;
      try {
        await endRelationship(admin, relationship.id, { to: 'completed' }, {});
        completed++;
      } catch (error) {
        // Ended meanwhile (a member, an admin or another run of the job got there first).
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return completed;
}
