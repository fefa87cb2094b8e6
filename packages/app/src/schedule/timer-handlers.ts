import type { Timer, TimerKind } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { remindMeeting } from '../meetings/remind-meeting.ts';

/** What a timer's handler runs against: one tenant, with the job's clock. */
export type ScheduledContext = TenantContext;

/**
 * Does the work of one due timer. It commits its effects together with the timer's removal
 * (`store.timers.complete`, or `rescheduleOp` for recurring work), so a second run of the job,
 * concurrent or later, finds the timer gone or moved and does nothing.
 */
export type TimerHandler = (ctx: ScheduledContext, timer: Timer) => Promise<void>;

/** One handler per timer kind; the compiler insists that a new kind brings its handler. */
export const timerHandlers: { [K in TimerKind]: TimerHandler } = {
  'meeting.reminder': remindMeeting,
};
