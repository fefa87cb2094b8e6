import * as z from 'zod';
import { isoDateTime } from './common.ts';
import { idSchema } from './id-schema.ts';
import type { Timer } from './timer.ts';

export const analyticsRecomputeStatuses = ['queued', 'completed'] as const;

/** A program's last requested rebuild of its analytics, as the admin who asked for it follows it. */
export const analyticsRecompute = z
  .strictObject({
    programId: idSchema('program'),
    status: z.enum(analyticsRecomputeStatuses).meta({
      description:
        '`queued` until the scheduled job has rebuilt the numbers (within a minute or so), then `completed`',
    }),
    requestedAt: isoDateTime,
    completedAt: isoDateTime.optional(),
    slices: z
      .int()
      .optional()
      .meta({ description: 'How many counter items (program-wide and slices) the rebuild wrote' }),
  })
  .meta({ id: 'AnalyticsRecompute' });
export type AnalyticsRecompute = z.infer<typeof analyticsRecompute>;

/** The rebuild's timer: due when asked for, so the scheduled job's next pass runs it. */
export const analyticsRecomputeTimer = (programId: string, at: Date): Timer => ({
  kind: 'analytics.recompute',
  subjectId: programId,
  dueAt: at.toISOString(),
});
