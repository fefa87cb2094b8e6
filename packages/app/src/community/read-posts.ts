import type { Post, PostReply } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { assertInProgram, visiblePost } from './community-access.ts';

/** A page of a program's posts, newest first; hidden ones only for admins. */
export async function listPosts(
  ctx: ActorContext,
  programId: string,
  filter: { tag?: string | undefined },
  page: PageRequest,
): Promise<Page<Post>> {
  await assertInProgram(ctx, programId);
  return ctx.store.posts.list(programId, { ...filter, includeHidden: ctx.actor.kind === 'admin' }, page);
}

/** A post with its replies, oldest first; participants see neither a hidden post nor hidden replies. */
export async function getPost(
  ctx: ActorContext,
  programId: string,
  postId: string,
): Promise<Post & { replies: PostReply[] }> {
  const { post } = await visiblePost(ctx, programId, postId);
  const replies = await ctx.store.posts.replies(programId, postId);
  return {
    ...post,
    replies: ctx.actor.kind === 'admin' ? replies : replies.filter((reply) => !reply.moderation),
  };
}
