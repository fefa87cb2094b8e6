import { ConflictError } from './errors.ts';

/**
 * Time-based work the scheduled job does. Each kind has one handler in the application layer
 * (packages/app/src/schedule/timer-handlers.ts); a feature adds its kind here and its handler there.
 */
export const timerKinds = [
  'meeting.reminder',
  'person.erasure',
  'relationship.health',
  'program.end',
  'survey.fit_check',
  'survey.pulse',
  'survey.expire',
  'hris.effective_change',
  'hris.reconcile',
  'analytics.recompute',
] as const;
export type TimerKind = (typeof timerKinds)[number];

/**
 * A piece of work that falls due at `dueAt`. There is at most one timer per (kind, subject):
 * setting it again moves it, so a rescheduled meeting or a recurring job never piles up timers.
 */
export interface Timer {
  kind: TimerKind;
  /** What the work is about (a meeting id, a relationship id, a program id). */
  subjectId: string;
  /** ISO 8601 instant, UTC. */
  dueAt: string;
  data?: Record<string, string | number | boolean>;
  /**
   * The timer is carried by its subject's own item (a relationship's health evaluation item, for
   * `relationship.health`) rather than being an item of its own: the write that stores the
   * subject moves it, in one request.
   */
  carried?: true;
}

/**
 * The timer was moved, cleared or handled by another run of the job since it was read: the work
 * it stood for was done (or rescheduled) by whoever changed it, so this run has nothing to do.
 */
export class TimerAlreadyHandledError extends ConflictError {}

/** How long before a meeting its members hear `meeting.upcoming`. */
export const MEETING_REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/**
 * When a meeting's reminder falls due: a day before it starts, or at once for a meeting booked
 * less than a day ahead (the job then reminds on its next pass).
 */
export function meetingReminderDue(startsAt: string, now: Date): string {
  const due = new Date(Date.parse(startsAt) - MEETING_REMINDER_LEAD_MS);
  return (due < now ? now : due).toISOString();
}
