import type { Meeting, Relationship } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';

/**
 * A meeting the actor may reach: its relationship first (404 for anyone who is not a member, and
 * for another tenant's ids), then the meeting inside it.
 */
export async function reachableMeeting(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
): Promise<{ relationship: Relationship; meeting: Meeting }> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  const meeting = await ctx.store.meetings.get(relationshipId, meetingId);
  return { relationship, meeting };
}
