import { ConflictError, domainEvent, MAX_REPLIES_PER_POST, newId, type PostReply } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite, retryOnFreshState } from '../versioned.ts';
import { assertAuthor, assertVisible, visiblePost } from './community-access.ts';

/**
 * Replies to a visible post. The post's reply count is checked and raised in the reply's own
 * transaction; if the post changed meanwhile (hidden, deleted, full), the next attempt says which.
 */
export function replyToPost(
  ctx: ActorContext,
  programId: string,
  postId: string,
  input: { text: string },
): Promise<PostReply> {
  return retryOnFreshState(async () => {
    const { post, replies } = await visiblePost(ctx, programId, postId);
    if (post.moderation) throw new ConflictError(`Post ${postId} is hidden: it takes no replies`);
    if (replies >= MAX_REPLIES_PER_POST)
      throw new ConflictError(`Post ${postId} has ${MAX_REPLIES_PER_POST} replies, as many as a post takes`);
    const now = ctx.clock().toISOString();
    const authorId = ctx.actor.kind === 'participant' ? ctx.actor.personId : undefined;
    const value: PostReply = {
      id: newId('postReply'),
      postId,
      programId,
      ...(authorId ? { authorId } : {}),
      text: input.text,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await ctx.store.posts.reply(
      value,
      MAX_REPLIES_PER_POST,
      domainEvent('post.replied', {
        postId,
        programId,
        replyId: value.id,
        ...(authorId ? { authorId } : {}),
      }),
    );
    return value;
  });
}

/** Its author deletes a reply. */
export function deleteReply(
  ctx: ActorContext,
  programId: string,
  postId: string,
  replyId: string,
  precondition: Precondition,
): Promise<void> {
  return readModifyWrite(precondition, async () => {
    await visiblePost(ctx, programId, postId);
    const reply = await ctx.store.posts.getReply(programId, postId, replyId);
    assertVisible(ctx.actor, reply);
    assertVersion(reply, precondition);
    assertAuthor(ctx.actor, reply);
    await ctx.store.posts.deleteReply(
      reply,
      domainEvent('post.reply_deleted', { postId, programId, replyId }),
    );
  });
}
