import { NotFoundError, PreconditionFailedError, type PrivateNote } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { reachableMeeting } from './meeting-access.ts';

/**
 * The acting member's own note on a meeting. Nobody else reads it: not the other members, not an
 * admin (an API key is refused), and it is kept in the author's partition, outside the
 * relationship's workspace.
 */
export async function readPrivateNote(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
): Promise<PrivateNote> {
  await reachableMeeting(ctx, relationshipId, meetingId);
  return ctx.store.privateNotes.get(participantOf(ctx.actor), meetingId);
}

/** Writes (creates or replaces) the acting member's private note on a meeting. */
export async function writePrivateNote(
  ctx: ActorContext,
  relationshipId: string,
  meetingId: string,
  text: string,
  precondition: Precondition,
): Promise<{ note: PrivateNote; created: boolean }> {
  await reachableMeeting(ctx, relationshipId, meetingId);
  const personId = participantOf(ctx.actor);
  return readModifyWrite(precondition, async () => {
    const current = await ctx.store.privateNotes.get(personId, meetingId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (current) assertVersion(current, precondition);
    else if (precondition.expectedVersion !== undefined)
      throw new PreconditionFailedError(
        `You have no note on meeting ${meetingId} yet; send it without If-Match`,
      );
    const now = ctx.clock().toISOString();
    const note: PrivateNote = {
      meetingId,
      relationshipId,
      text,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      version: (current?.version ?? 0) + 1,
    };
    await ctx.store.privateNotes.put(personId, note, current?.version);
    return { note, created: !current };
  });
}
