import { NotFoundError, type Program, type Timer } from '@tandem/core';
import type { ScheduledContext } from '../schedule/timer-handlers.ts';
import { completeAtProgramEnd, programEndsAt } from './complete-at-program-end.ts';

/** The program's end: set with its end date (creating or updating the program), moved with it. */
export const programEndTimer = (program: Pick<Program, 'id'> & { endDate: string }): Timer => ({
  kind: 'program.end',
  subjectId: program.id,
  dueAt: programEndsAt(program.endDate).toISOString(),
});

/**
 * The `program.end` timer fell due: every ongoing relationship of the program is completed, then
 * the timer is removed. Completing thousands of relationships cannot be one transaction; each
 * completion is conditional on the relationship being ongoing, so a second run (concurrent, or
 * after a crash halfway) completes only what is left, and each `relationship.completed` is raised
 * once. A program whose end date was removed, or moved past now, has nothing to do.
 */
export async function completeProgramTimer(ctx: ScheduledContext, timer: Timer): Promise<void> {
  const program = await ctx.store.programs.get(timer.subjectId).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (program?.endDate && programEndsAt(program.endDate) <= ctx.clock())
    await completeAtProgramEnd(ctx, program.id);
  await ctx.store.timers.complete(timer);
}
