import {
  assertOpenForMeetings,
  assertScheduled,
  checkMeetingLog,
  domainEvent,
  type EventDraft,
  type Meeting,
  type MeetingLogInput,
  type Relationship,
} from '@tandem/core';
import type { WriteOp } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { reachableMeeting } from './meeting-access.ts';

/** A meeting just logged, as what joins the log's transaction sees it. */
export interface LoggedMeeting {
  relationship: Relationship;
  meeting: Meeting;
  /** Held, and no other meeting of the relationship was held before it. */
  firstHeld: boolean;
}

/**
 * What another feature writes in the same transaction as a log (e.g. reaching the relationship's
 * "first meeting" milestone when `firstHeld`), with its own events. Those writes should be
 * conditional, so that two first meetings logged at once still reach a milestone only once.
 */
export type MeetingLogJoin = (
  ctx: ActorContext,
  logged: LoggedMeeting,
) => Promise<{ alsoWrite?: WriteOp[]; events?: EventDraft[] }>;

/** Records what happened: held, cancelled or no-show, with attendance, topics and shared notes. */
export async function logMeeting(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
  log: MeetingLogInput,
  precondition: Precondition,
  joins: MeetingLogJoin[] = [],
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
    const firstHeld =
      log.outcome === 'held' &&
      !(await ctx.store.meetings.all(relationshipId)).some((m) => m.status === 'held' && m.id !== meetingId);
    const joined = await Promise.all(
      joins.map((join) => join(ctx, { relationship, meeting: next, firstHeld })),
    );
    await ctx.store.meetings.update(
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
        ...joined.flatMap((j) => j.events ?? []),
      ],
      joined.flatMap((j) => j.alsoWrite ?? []),
    );
    return next;
  });
}
