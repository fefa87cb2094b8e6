import type { ProgramAnalytics } from '@tandem/core';
import { getAnalytics } from '../analytics/get-analytics.ts';
import type { TenantContext } from '../context.ts';
import { programMeetingRows, relationshipPages } from '../exports/program-exports.ts';

/** Health scores are shown in bands of this width (0–19, 20–39, … 80–100). */
const HEALTH_BAND = 20;

export interface ProgramReport {
  program: { id: string; name: string };
  analytics: ProgramAnalytics;
  /** Held meetings per calendar month (UTC) of their start, oldest month first. */
  meetingsByMonth: { month: string; held: number }[];
  /** Relationships by their latest health score; relationships never evaluated are left out. */
  healthBands: { band: string; relationships: number }[];
  evaluated: number;
}

/**
 * What the printable program report shows: the program's analytics (the same figures as
 * `GET …/analytics`), and two views analytics does not keep: held meetings per month, from the
 * program's meeting rows, and the distribution of health scores, from the relationships' last
 * evaluations, read a page of relationships at a time in batches. Both still grow with the
 * program (a row per meeting, an item per relationship), which is why the report is a page an
 * admin opens, not a figure a dashboard polls.
 */
export async function programReport(ctx: TenantContext, programId: string): Promise<ProgramReport> {
  const [program, analytics, hasRows] = await Promise.all([
    ctx.store.programs.get(programId),
    getAnalytics(ctx, programId),
    ctx.store.meetings.programHasRows(programId),
  ]);
  const months = new Map<string, number>();
  const bands = new Array<number>(100 / HEALTH_BAND).fill(0);
  let evaluated = 0;
  await Promise.all([
    (async () => {
      for await (const meeting of programMeetingRows(ctx, programId, hasRows))
        if (meeting.status === 'held') {
          const month = meeting.startsAt.slice(0, 7);
          months.set(month, (months.get(month) ?? 0) + 1);
        }
    })(),
    (async () => {
      for await (const page of relationshipPages(ctx, programId))
        for (const health of (await ctx.store.health.latestOf(page.map((r) => r.id))).values()) {
          evaluated++;
          bands[Math.min(bands.length - 1, Math.floor(health.score / HEALTH_BAND))]!++;
        }
    })(),
  ]);
  return {
    program: { id: program.id, name: program.name },
    analytics,
    meetingsByMonth: [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, held]) => ({ month, held })),
    healthBands: bands.map((relationships, i) => ({
      band: `${i * HEALTH_BAND}–${i === bands.length - 1 ? 100 : (i + 1) * HEALTH_BAND - 1}`,
      relationships,
    })),
    evaluated,
  };
}
