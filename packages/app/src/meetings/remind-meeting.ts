import { domainEvent, type Meeting, meetingReminderDue, NotFoundError, type Timer } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** The reminder timer of a scheduled meeting: set when it is booked, moved when it moves. */
export function meetingReminder(meeting: Meeting, now: Date): Timer {
  return {
    kind: 'meeting.reminder',
    subjectId: meeting.id,
    dueAt: meetingReminderDue(meeting.startsAt, now),
    data: { relationshipId: meeting.relationshipId },
  };
}

/**
 * A meeting's reminder fell due: its members hear `meeting.upcoming`, unless the meeting was
 * logged, cancelled or has already started (a job that was down does not remind of the past).
 */
export async function remindMeeting(ctx: TenantContext, timer: Timer): Promise<void> {
  const relationshipId = String(timer.data?.relationshipId);
  const meeting = await ctx.store.meetings.get(relationshipId, timer.subjectId).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (meeting?.status !== 'scheduled' || Date.parse(meeting.startsAt) <= ctx.clock().getTime()) {
    await ctx.store.timers.complete(timer);
    return;
  }
  const relationship = await ctx.store.relationships.get(relationshipId);
  await ctx.store.timers.complete(
    timer,
    [],
    domainEvent('meeting.upcoming', {
      relationshipId,
      meetingId: meeting.id,
      startsAt: meeting.startsAt,
      durationMinutes: meeting.durationMinutes,
      personIds: relationship.members.map((m) => m.personId),
    }),
  );
}
