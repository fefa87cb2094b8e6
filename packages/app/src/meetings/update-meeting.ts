import {
  assertOpenForMeetings,
  assertScheduled,
  domainEvent,
  type Meeting,
  meeting,
  type meetingPatch,
  utcInstant,
} from '@tandem/core';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { reachableMeeting } from './meeting-access.ts';
import { meetingReminder } from './remind-meeting.ts';

/** Moves a scheduled meeting, or changes its place, link or agenda (JSON Merge Patch). */
export async function updateMeeting(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
  patch: z.infer<typeof meetingPatch>,
  precondition: Precondition,
): Promise<Meeting> {
  const normalized = patch.startsAt ? { ...patch, startsAt: utcInstant(patch.startsAt) } : patch;
  // The relationship's program never changes: any load's is the one to write the meeting's row in.
  let programId = '';
  return mergePatchUpdate(ctx, normalized, precondition, {
    load: async () => {
      const { relationship, meeting: current } = await reachableMeeting(ctx, relationshipId, meetingId);
      assertOpenForMeetings(relationship);
      assertScheduled(current);
      programId = relationship.programId;
      return current;
    },
    schema: meeting,
    save: async (current, updated, removed) =>
      ctx.store.meetings.update(
        programId,
        current,
        updated,
        removed,
        domainEvent('meeting.rescheduled', {
          relationshipId,
          meetingId,
          startsAt: updated.startsAt,
          durationMinutes: updated.durationMinutes,
          changed: Object.keys(patch),
        }),
        // A moved meeting moves its reminder (the timer of a meeting is one item, replaced).
        updated.startsAt === current.startsAt
          ? []
          : [await ctx.store.timers.setOp(meetingReminder(updated, ctx.clock()))],
      ),
  });
}
