import {
  domainEvent,
  FIRST_PULSE_AFTER_DAYS,
  FIT_CHECK_AFTER_DAYS,
  NotFoundError,
  type Relationship,
  type ScheduleKind,
  type Survey,
  type SurveyInstance,
  scheduleOf,
  type Timer,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { instanceWritesFor } from './open-instances.ts';

const DAY = 86_400_000;
const daysAfter = (instant: string, days: number) => new Date(Date.parse(instant) + days * DAY).toISOString();

/**
 * The timers a relationship's start sets, in its transaction: its fit check and its first pulse,
 * where the program has an active survey with that schedule. Programs without them carry no
 * timers; a fit-check or pulse schedule reaches relationships that start after it is defined
 * (reaching the ones already running would be work that grows with the program, on a request).
 */
export function relationshipSurveyTimers(
  surveys: Survey[],
  relationship: Pick<Relationship, 'id' | 'createdAt' | 'startedAt'>,
): Timer[] {
  const start = relationship.startedAt ?? relationship.createdAt;
  const timer = (kind: 'survey.fit_check' | 'survey.pulse', days: number): Timer => ({
    kind,
    subjectId: relationship.id,
    dueAt: daysAfter(start, days),
  });
  return [
    ...(surveys.some((s) => scheduleOf(s, 'fit_check'))
      ? [timer('survey.fit_check', FIT_CHECK_AFTER_DAYS)]
      : []),
    ...(surveys.some((s) => scheduleOf(s, 'pulse')) ? [timer('survey.pulse', FIRST_PULSE_AFTER_DAYS)] : []),
  ];
}

async function ongoingRelationship(ctx: TenantContext, id: string): Promise<Relationship | undefined> {
  const relationship = await ctx.store.relationships.get(id).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  return relationship && (relationship.status === 'active' || relationship.status === 'pending_agreement')
    ? relationship
    : undefined;
}

/**
 * A relationship's fit check or pulse fell due: every member gets an instance of the program's
 * survey with that schedule (and `survey.due`), together with the timer's removal. A pulse then
 * sets its next occurrence `everyDays` on, skipping the ones a stopped job missed, so a catch-up
 * opens one pulse rather than a pile of them. An ended relationship, or a program without such a
 * survey, only clears the timer.
 */
async function openRelationshipSurvey(ctx: TenantContext, timer: Timer, scheduleKind: ScheduleKind) {
  const relationship = await ongoingRelationship(ctx, timer.subjectId);
  if (!relationship) return ctx.store.timers.complete(timer);
  const writes = await instanceWritesFor(
    ctx,
    relationship.programId,
    scheduleKind,
    relationship.members.map((m) => ({ personId: m.personId, relationshipId: relationship.id })),
  );
  if (scheduleKind !== 'pulse') return ctx.store.timers.complete(timer, writes.ops, writes.events);
  const surveys = await ctx.store.surveys.all(relationship.programId);
  const every = surveys.map((s) => scheduleOf(s, 'pulse')?.everyDays).find((days) => days !== undefined);
  if (every === undefined) return ctx.store.timers.complete(timer, writes.ops, writes.events);
  const now = ctx.clock().getTime();
  let next = Date.parse(timer.dueAt) + every * DAY;
  while (next <= now) next += every * DAY;
  await ctx.store.surveyInstances.open(
    [
      await ctx.store.timers.rescheduleOp(timer, { ...timer, dueAt: new Date(next).toISOString() }),
      ...writes.ops,
    ],
    writes.events,
  );
}

export const openFitCheck = (ctx: TenantContext, timer: Timer) =>
  openRelationshipSurvey(ctx, timer, 'fit_check');
export const openPulse = (ctx: TenantContext, timer: Timer) => openRelationshipSurvey(ctx, timer, 'pulse');

/**
 * An instance reached its expiry: unanswered it becomes `expired` (with `survey.expired`), answered
 * it becomes `closed`. Reads already report both from the clock; this records them, so lists and
 * analytics see the final status and consumers hear of the missed survey.
 */
export async function expireInstance(ctx: TenantContext, timer: Timer): Promise<void> {
  const personId = String(timer.data?.personId);
  const instance = await ctx.store.surveyInstances.get(personId, timer.subjectId).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!instance || (instance.status !== 'open' && instance.status !== 'answered'))
    return ctx.store.timers.complete(timer);
  const at = ctx.clock().toISOString();
  const next: SurveyInstance = {
    ...instance,
    status: instance.responseId ? 'closed' : 'expired',
    updatedAt: at,
    version: instance.version + 1,
  };
  await ctx.store.timers.complete(
    timer,
    [await ctx.store.surveyInstances.replaceOp(instance, next)],
    next.status === 'expired'
      ? domainEvent('survey.expired', {
          programId: instance.programId,
          surveyId: instance.surveyId,
          instanceId: instance.id,
          scheduleKind: instance.scheduleKind,
        })
      : [],
  );
}
