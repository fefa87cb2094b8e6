import {
  assertOpenForMeetings,
  assertScheduled,
  checkMeetingLog,
  domainEvent,
  type Meeting,
  type MeetingLogInput,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { milestoneWritesFor } from '../milestones/milestone-writes.ts';
import { instanceWritesFor } from '../surveys/open-instances.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { reachableMeeting } from './meeting-access.ts';

/**
 * Records what happened: held, cancelled or no-show, with attendance, topics and shared notes.
 * The first meeting logged as held reaches the relationship's `first_meeting_held` milestones in
 * the same transaction; a milestone reached meanwhile fails it as a lost race, retried on fresh state.
 * A held meeting opens the program's post-meeting survey for each member who attended, in the same
 * transaction.
 */
export async function logMeeting(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
  log: MeetingLogInput,
  precondition: Precondition,
): Promise<Meeting> {
  return readModifyWrite(precondition, async () => {
    const { relationship, meeting: current } = await reachableMeeting(ctx, relationshipId, meetingId);
    assertVersion(current, precondition);
    assertOpenForMeetings(relationship);
    assertScheduled(current);
    const now = ctx.clock();
    checkMeetingLog(
      log,
      current,
      relationship.members.map((m) => m.personId),
      now,
    );
    const at = now.toISOString();
    const next: Meeting = {
      ...current,
      status: log.outcome,
      attendance: log.attendance,
      topics: log.topics,
      ...(log.sharedNotes ? { sharedNotes: log.sharedNotes } : {}),
      loggedAt: at,
      updatedAt: at,
      version: current.version + 1,
    };
    const milestones =
      log.outcome === 'held'
        ? await milestoneWritesFor(
            ctx.store,
            relationship,
            await ctx.store.milestones.reachedKeys(relationshipId),
            'first_meeting_held',
            at,
          )
        : { ops: [], events: [] };
    const surveys =
      log.outcome === 'held'
        ? await instanceWritesFor(
            ctx,
            relationship.programId,
            'post_meeting',
            log.attendance
              .filter((a) => a.attended)
              .map((a) => ({ personId: a.personId, relationshipId, meetingId })),
          )
        : { ops: [], events: [] };
    await ctx.store.meetings.update(
      relationship.programId,
      current,
      next,
      [],
      [
        domainEvent('meeting.logged', {
          relationshipId,
          meetingId,
          outcome: log.outcome,
          attendance: log.attendance,
        }),
        ...milestones.events,
        ...surveys.events,
      ],
      [...milestones.ops, ...surveys.ops],
    );
    return next;
  });
}
