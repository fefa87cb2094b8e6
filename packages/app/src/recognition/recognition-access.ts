import { canSeeKudos, ForbiddenError, type Kudos, NotFoundError } from '@tandem/core';
import type { FeedViewer } from '@tandem/store';
import type { ActorContext } from '../context.ts';

/** The reader of the feed: admins see all of it; a participant with the programs they are enrolled in. */
export async function feedViewerOf({ actor, store }: ActorContext): Promise<FeedViewer> {
  if (actor.kind === 'admin') return { kind: 'admin' };
  const enrollments = await store.enrollments.activeOfPerson(actor.personId);
  return {
    kind: 'participant',
    personId: actor.personId,
    programIds: [...new Set(enrollments.map((e) => e.programId))],
  };
}

/** A kudos the actor may read; one they may not is reported as one that does not exist. */
export async function visibleKudos(ctx: ActorContext, kudosId: string): Promise<Kudos> {
  const value = await ctx.store.kudos.get(kudosId);
  const viewer = await feedViewerOf(ctx);
  if (viewer.kind === 'participant' && !canSeeKudos(value, viewer.personId, new Set(viewer.programIds)))
    throw new NotFoundError(`No kudos ${kudosId}`);
  return value;
}

/** Its sender takes a kudos back; admins take any off the feed. Its recipient cannot. */
export function assertSenderOrAdmin(ctx: ActorContext, value: Kudos): void {
  if (ctx.actor.kind === 'participant' && ctx.actor.personId !== value.senderId)
    throw new ForbiddenError(`Only its sender or an admin deletes kudos ${value.id}`);
}
