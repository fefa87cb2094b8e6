import { analyticsReport, ORGANIZATION, type ProgramAnalytics, type SliceDimension } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/**
 * A program's analytics from its counters: a handful of item reads (one query with a breakdown),
 * never a scan; the at-risk count is the size of the program's at-risk list, which health keeps.
 */
export async function getAnalytics(
  ctx: TenantContext,
  programId: string,
  by?: SliceDimension,
): Promise<ProgramAnalytics> {
  const [program, sums, organization, atRisk] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.analytics.sums(programId, by),
    ctx.store.analytics.sums(ORGANIZATION),
    ctx.store.health.atRiskCount(programId),
  ]);
  const report = analyticsReport(program, sums, organization.all ?? {}, ctx.clock(), by);
  return { ...report, relationships: { ...report.relationships, atRisk } };
}
