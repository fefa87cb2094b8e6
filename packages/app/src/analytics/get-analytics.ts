import { analyticsReport, ORGANIZATION, type ProgramAnalytics, type SliceDimension } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** A program's analytics from its counters: a handful of item reads (one query with a breakdown), never a scan. */
export async function getAnalytics(
  ctx: TenantContext,
  programId: string,
  by?: SliceDimension,
): Promise<ProgramAnalytics> {
  const [program, sums, organization] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.analytics.sums(programId, by),
    ctx.store.analytics.sums(ORGANIZATION),
  ]);
  return analyticsReport(program, sums, organization.all ?? {}, ctx.clock(), by);
}
