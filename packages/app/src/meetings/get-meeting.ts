import type { Meeting, MeetingStatus } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { reachableMeeting } from './meeting-access.ts';

export async function getMeeting(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
): Promise<Meeting> {
  return (await reachableMeeting(ctx, relationshipId, meetingId)).meeting;
}

/** A relationship's meetings: upcoming ones soonest first (the default), past ones latest first, or all by start. */
export async function listMeetings(
  ctx: ActorContext,
  relationshipId: string,
  filter: { status?: MeetingStatus | undefined; when: 'upcoming' | 'past' | 'all' },
  page: PageRequest,
): Promise<Page<Meeting>> {
  await reachableRelationship(ctx, relationshipId);
  return ctx.store.meetings.list(relationshipId, { ...filter, now: ctx.clock().toISOString() }, page);
}
