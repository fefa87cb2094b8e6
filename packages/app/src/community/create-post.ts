import { domainEvent, newId, type Post, type PostInput } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { assertInProgram } from './community-access.ts';

/** Shares a post with a program's community: its enrolled participants, or an admin. */
export async function createPost(ctx: ActorContext, programId: string, input: PostInput): Promise<Post> {
  await assertInProgram(ctx, programId);
  const now = ctx.clock().toISOString();
  const authorId = ctx.actor.kind === 'participant' ? ctx.actor.personId : undefined;
  const value: Post = {
    id: newId('post'),
    programId,
    ...(authorId ? { authorId } : {}),
    ...input,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.posts.create(
    value,
    domainEvent('post.created', { postId: value.id, programId, ...(authorId ? { authorId } : {}) }),
  );
  return value;
}
