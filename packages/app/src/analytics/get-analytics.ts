import { analyticsReport, type ProgramAnalytics } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** A program's analytics from its counters: two reads (three with a breakdown), never a scan. */
export async function getAnalytics(
  ctx: TenantContext,
  programId: string,
  by?: 'cohort',
): Promise<ProgramAnalytics> {
  const [program, sums] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.analytics.sums(programId, by),
  ]);
  return analyticsReport(program, sums, ctx.clock(), by);
}
