import { type FeedbackSummary, summarizeFeedback } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** Admins' view of a meeting's feedback: aggregates, and only the comments their authors shared. */
export async function meetingFeedbackSummary(
  { store }: TenantContext,
  relationshipId: string,
  meetingId: string,
): Promise<FeedbackSummary> {
  await store.relationships.get(relationshipId);
  await store.meetings.get(relationshipId, meetingId);
  return summarizeFeedback(await store.meetingFeedback.of(relationshipId, meetingId), {
    relationshipId,
    meetingId,
  });
}

/** Admins' view of a relationship's feedback across its meetings. */
export async function relationshipFeedbackSummary(
  { store }: TenantContext,
  relationshipId: string,
): Promise<FeedbackSummary> {
  await store.relationships.get(relationshipId);
  return summarizeFeedback(await store.meetingFeedback.of(relationshipId), { relationshipId });
}
