import { allRequired, requiredFor, type TrainingStatus } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { assertSelfOrAdmin, participantOf } from '../participants/access.ts';

/**
 * A person's status on every module their role requires, in each program they are actively
 * enrolled in that requires any: their own enrollments are read, not every program of the tenant. A participant reads only their own (anyone else's is 404).
 */
export async function trainingStatus(ctx: ActorContext, personId: string): Promise<TrainingStatus> {
  assertSelfOrAdmin(ctx.actor, personId);
  const { store } = ctx;
  const [, enrollments, records] = await Promise.all([
    store.people.get(personId),
    store.enrollments.activeOfPerson(personId),
    store.training.ofPerson(personId),
  ]);
  const programs = await Promise.all(enrollments.map((e) => store.programs.get(e.programId)));
  const enrolled = enrollments.flatMap((enrollment, i) => {
    const program = programs[i]!;
    return program.status !== 'completed' &&
      program.status !== 'archived' &&
      allRequired(program.requiredTraining).length
      ? [{ program, enrollment }]
      : [];
  });
  const running = enrolled.map((e) => e.program);
  const modules = await store.resources.getMany(running.flatMap((p) => allRequired(p.requiredTraining)));
  const byModule = new Map(records.map((r) => [r.resourceId, r]));
  const result: TrainingStatus['programs'] = enrolled.flatMap(({ program, enrollment }) => {
    const required = requiredFor(program.requiredTraining, enrollment.role);
    if (required.length === 0) return [];
    const progress = required.map((resourceId) => {
      const record = byModule.get(resourceId);
      return {
        resourceId,
        title: modules.get(resourceId)?.title ?? '',
        status: record?.completed
          ? ('completed' as const)
          : record
            ? ('attempted' as const)
            : ('not_started' as const),
        ...(record?.completedAt ? { completedAt: record.completedAt } : {}),
        attemptCount: record?.attemptCount ?? 0,
      };
    });
    return [
      {
        programId: program.id,
        name: program.name,
        role: enrollment.role,
        complete: progress.every((m) => m.status === 'completed'),
        modules: progress,
      },
    ];
  });
  return { personId, complete: result.every((p) => p.complete), programs: result };
}

/** The calling participant's own status. */
export const myTrainingStatus = (ctx: ActorContext) => trainingStatus(ctx, participantOf(ctx.actor));
