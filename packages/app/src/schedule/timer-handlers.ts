import type { Timer, TimerKind } from '@tandem/core';
import { runAnalyticsRecompute } from '../analytics/request-recompute.ts';
import type { TenantContext } from '../context.ts';
import { evaluateHealthTimer, evaluateHealthTimers, readHealthTimersAhead } from '../health/health-timers.ts';
import { applyEffectiveChange } from '../hris/apply-effective-change.ts';
import type { HrisApiContext } from '../hris/ports.ts';
import { reconcileConnection } from '../hris/reconcile-connection.ts';
import { remindMeeting } from '../meetings/remind-meeting.ts';
import { resumeErasure } from '../privacy/erase-person.ts';
import { completeProgramTimer } from '../relationships/program-end-timer.ts';
import { expireInstance, openFitCheck, openPulse } from '../surveys/survey-timers.ts';
import type { PassReads } from './pass-reads.ts';

/**
 * What a timer's handler runs against: one tenant, with the job's clock, the pass's shared reads,
 * and the SSRF policy of calls to HR systems' APIs (AWS's when the host gives none).
 */
export interface ScheduledContext extends TenantContext, Pick<HrisApiContext, 'hrisApi'> {
  pass: PassReads;
}

/**
 * Does the work of one due timer. It commits its effects together with the timer's removal
 * (`store.timers.complete`, or `rescheduleOp` for recurring work), so a second run of the job,
 * concurrent or later, finds the timer gone or moved and does nothing.
 */
export type TimerHandler = (ctx: ScheduledContext, timer: Timer) => Promise<void>;

/** One handler per timer kind; the compiler insists that a new kind brings its handler. */
export const timerHandlers: { [K in TimerKind]: TimerHandler } = {
  'meeting.reminder': remindMeeting,
  'person.erasure': resumeErasure,
  'relationship.health': evaluateHealthTimer,
  'program.end': completeProgramTimer,
  'survey.fit_check': openFitCheck,
  'survey.pulse': openPulse,
  'survey.expire': expireInstance,
  'hris.effective_change': applyEffectiveChange,
  'hris.reconcile': reconcileConnection,
  'analytics.recompute': runAnalyticsRecompute,
};

/**
 * What a page of due timers of a kind has read ahead in one batched call, for the handlers to take
 * (see `PassReads.ahead`), given the items that carry the page's carried timers: kinds without an
 * entry read what they need themselves.
 */
export const timerReadsAhead: Partial<{
  [K in TimerKind]: (
    ctx: ScheduledContext,
    timers: Timer[],
    carriers: ReadonlyMap<Timer, Record<string, unknown>>,
  ) => void;
}> = { 'relationship.health': readHealthTimersAhead };

/**
 * Kinds whose due timers of a page are handled together rather than one by one in the job's lanes,
 * so that their writes can go out together: the outcome per timer, in order.
 */
export const timerGroupHandlers: Partial<{
  [K in TimerKind]: (ctx: ScheduledContext, timers: Timer[]) => Promise<PromiseSettledResult<void>[]>;
}> = { 'relationship.health': evaluateHealthTimers };
