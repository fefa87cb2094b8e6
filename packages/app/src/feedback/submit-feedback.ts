import { ConflictError, domainEvent, type Feedback, type feedbackInput, newId } from '@tandem/core';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { reachableMeeting } from '../meetings/meeting-access.ts';
import { participantOf } from '../participants/access.ts';

/**
 * An attendee rates a held meeting, once: feedback is final (a second submission is 409), so an
 * aggregate never moves under an admin who already read it. Only members who attended may rate.
 */
export async function submitFeedback(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
  input: z.infer<typeof feedbackInput>,
): Promise<Feedback> {
  const { meeting } = await reachableMeeting(ctx, relationshipId, meetingId);
  const personId = participantOf(ctx.actor);
  if (meeting.status !== 'held')
    throw new ConflictError(`Meeting ${meetingId} is ${meeting.status}; only a held meeting takes feedback`);
  if (!meeting.attendance?.some((entry) => entry.personId === personId && entry.attended))
    throw new ConflictError(`Only members who attended meeting ${meetingId} rate it`);
  const now = ctx.clock().toISOString();
  const value: Feedback = {
    id: newId('feedback'),
    relationshipId,
    meetingId,
    personId,
    ...input,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.meetingFeedback.create(
    value,
    domainEvent('feedback.submitted', {
      relationshipId,
      meetingId,
      feedbackId: value.id,
      rating: value.rating,
      ...(value.pairingWorking ? { pairingWorking: value.pairingWorking } : {}),
    }),
  );
  return value;
}

/** The acting member's own feedback on a meeting (404 until they gave it). */
export async function ownFeedback(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
): Promise<Feedback> {
  await reachableMeeting(ctx, relationshipId, meetingId);
  const personId = participantOf(ctx.actor);
  return ctx.store.meetingFeedback.getOwn(relationshipId, meetingId, personId);
}
