import {
  assertOpenForMeetings,
  domainEvent,
  type Meeting,
  type MeetingInput,
  newId,
  utcInstant,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { meetingReminder } from './remind-meeting.ts';

/** A member (or an admin) schedules a meeting of a relationship that has not ended. */
export async function scheduleMeeting(
  ctx: ActorContext,
  relationshipId: string,
  input: MeetingInput,
): Promise<Meeting> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  assertOpenForMeetings(relationship);
  const clock = ctx.clock();
  const now = clock.toISOString();
  const value: Meeting = {
    id: newId('meeting'),
    relationshipId,
    status: 'scheduled',
    ...input,
    startsAt: utcInstant(input.startsAt),
    ...(ctx.actor.kind === 'participant' ? { scheduledBy: ctx.actor.personId } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.meetings.create(
    value,
    relationship.programId,
    domainEvent('meeting.scheduled', {
      relationshipId,
      meetingId: value.id,
      startsAt: value.startsAt,
      durationMinutes: value.durationMinutes,
      personIds: relationship.members.map((m) => m.personId),
    }),
    [await ctx.store.timers.setOp(meetingReminder(value, clock))],
  );
  return value;
}
