import { ConflictError, domainEvent } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { assertAuthor, visiblePost } from './community-access.ts';

/**
 * Its author deletes a post nobody replied to yet. Once others replied, their words hang on it:
 * the author edits it instead, or an admin hides it.
 */
export function deletePost(
  ctx: ActorContext,
  programId: string,
  postId: string,
  precondition: Precondition,
): Promise<void> {
  return readModifyWrite(precondition, async () => {
    const { post, replies } = await visiblePost(ctx, programId, postId);
    assertVersion(post, precondition);
    assertAuthor(ctx.actor, post);
    if (replies > 0)
      throw new ConflictError(`Post ${postId} has replies, so it stays: edit it, or ask an admin to hide it`);
    await ctx.store.posts.delete(post, domainEvent('post.deleted', { postId, programId }));
  });
}
