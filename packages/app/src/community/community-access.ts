import { ForbiddenError, NotFoundError, type Post, type PostReply } from '@tandem/core';
import type { Actor, ActorContext } from '../context.ts';

/**
 * A program's community is its participants': a participant reaches it while they hold an active
 * enrollment in the program, and anyone else is told the program does not exist. Admins reach
 * every program of their tenant.
 */
export async function assertInProgram({ store, actor }: ActorContext, programId: string): Promise<void> {
  if (actor.kind === 'admin') {
    await store.programs.get(programId);
    return;
  }
  const active = await store.enrollments.activeOf(programId, [actor.personId]);
  if (!active.has(actor.personId)) throw new NotFoundError(`No program ${programId}`);
}

/** Hidden posts and replies are gone for participants; admins still see them, with the reason. */
export function assertVisible(actor: Actor, item: Post | PostReply): void {
  if (actor.kind === 'participant' && item.moderation)
    throw new NotFoundError(`No ${'postId' in item ? 'reply' : 'post'} ${item.id}`);
}

/** A post (in the program, visible to the actor), read after the actor's access to the program. */
export async function visiblePost(ctx: ActorContext, programId: string, postId: string) {
  await assertInProgram(ctx, programId);
  const stored = await ctx.store.posts.load(programId, postId);
  assertVisible(ctx.actor, stored.post);
  return stored;
}

/**
 * Only its author changes or deletes a post or reply: a participant their own, an admin what was
 * written with an API key. A participant's words are moderated by hiding, never rewritten.
 */
export function assertAuthor(actor: Actor, item: Post | PostReply): void {
  const author = actor.kind === 'participant' ? actor.personId : undefined;
  if (item.authorId !== author)
    throw new ForbiddenError(
      actor.kind === 'admin'
        ? `${item.id} was written by a participant: admins hide it (POST …/hide), they do not change or delete it`
        : `Only its author changes or deletes ${item.id}`,
    );
}
