import {
  domainEvent,
  type EventDraft,
  newId,
  newInstanceTiming,
  type ScheduleKind,
  type SurveyInstance,
  scheduleOf,
  type Timer,
} from '@tandem/core';
import type { WriteOp } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** Who an instance is for, and what it is about. */
export interface InstanceTarget {
  personId: string;
  relationshipId?: string | undefined;
  meetingId?: string | undefined;
}

export interface InstanceWrites {
  ops: WriteOp[];
  events: EventDraft[];
  instances: SurveyInstance[];
}

/**
 * The writes that open one instance per target of every active survey of the program with a
 * schedule of this kind, each announced by `survey.due` (without the instance id in an anonymous
 * program: `survey.answered` names the instance, and the two together would say who answered). They go into the transaction of what
 * opens them, so an enrollment, a meeting log or a completion and its instances exist together,
 * each with the timer that closes it at its expiry.
 * A program has at most one active survey per schedule kind, so this stays within a transaction.
 */
export async function instanceWritesFor(
  ctx: TenantContext,
  programId: string,
  scheduleKind: ScheduleKind,
  targets: InstanceTarget[],
): Promise<InstanceWrites> {
  const surveys = await ctx.store.surveys.all(programId);
  const now = ctx.clock();
  const at = now.toISOString();
  const instances = surveys.flatMap((survey) => {
    const schedule = scheduleOf(survey, scheduleKind);
    if (!schedule) return [];
    return targets.map(
      (target): SurveyInstance => ({
        id: newId('surveyInstance'),
        programId,
        surveyId: survey.id,
        scheduleKind,
        personId: target.personId,
        ...(target.relationshipId ? { relationshipId: target.relationshipId } : {}),
        ...(target.meetingId ? { meetingId: target.meetingId } : {}),
        status: 'open',
        ...newInstanceTiming(schedule, now),
        createdAt: at,
        updatedAt: at,
        version: 1,
      }),
    );
  });
  const anonymous =
    instances.length > 0 && (await ctx.store.programs.get(programId)).anonymity.mode === 'anonymous';
  return {
    ops: (
      await Promise.all(
        instances.map(async (instance) => [
          await ctx.store.surveyInstances.openOp(instance),
          await ctx.store.timers.setOp(instanceExpiryTimer(instance)),
        ]),
      )
    ).flat(),
    events: instances.map((instance) =>
      domainEvent('survey.due', {
        programId,
        surveyId: instance.surveyId,
        ...(anonymous ? {} : { instanceId: instance.id }),
        personId: instance.personId,
        scheduleKind,
        dueAt: instance.dueAt,
        expiresAt: instance.expiresAt,
      }),
    ),
    instances,
  };
}

/** The timer that closes an instance at its expiry (the scheduled job records `expired` or `closed`). */
export function instanceExpiryTimer(instance: SurveyInstance): Timer {
  return {
    kind: 'survey.expire',
    subjectId: instance.id,
    dueAt: instance.expiresAt,
    data: { personId: instance.personId },
  };
}
