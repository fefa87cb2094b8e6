import { assertPostContent, domainEvent, type Post, post, type postPatch } from '@tandem/core';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { assertAuthor, visiblePost } from './community-access.ts';

/** Its author edits a post (JSON Merge Patch); it keeps text, a link or both. */
export function updatePost(
  ctx: ActorContext,
  programId: string,
  postId: string,
  patch: z.infer<typeof postPatch>,
  precondition: Precondition,
): Promise<Post> {
  return mergePatchUpdate(ctx, patch, precondition, {
    load: async () => {
      const { post: current } = await visiblePost(ctx, programId, postId);
      assertAuthor(ctx.actor, current);
      return current;
    },
    schema: post,
    check: assertPostContent,
    save: (current, updated, removed) =>
      ctx.store.posts.update(
        current,
        updated,
        removed,
        domainEvent('post.updated', { postId, programId, changed: Object.keys(patch) }),
      ),
  });
}
