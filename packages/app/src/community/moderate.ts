import { ConflictError, domainEvent, type Post, type PostReply } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** What to moderate: a post, or one of its replies. */
export interface ModerationTarget {
  programId: string;
  postId: string;
  replyId?: string | undefined;
}

/** Hide with a reason (kept on the item, with who and when), or show again (`undefined`). */
export type ModerationChange = { reason: string; by: string } | undefined;

/**
 * An admin hides a post or reply from the participants, keeping the reason, or shows it again.
 * Hiding what is hidden (or showing what is visible) is a conflict, not a silent success, so a
 * second moderator sees that someone else acted first.
 */
export function moderate<T extends Post | PostReply>(
  ctx: TenantContext,
  target: ModerationTarget,
  change: ModerationChange,
  precondition: Precondition,
): Promise<T> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = (
      target.replyId
        ? await store.posts.getReply(target.programId, target.postId, target.replyId)
        : await store.posts.get(target.programId, target.postId)
    ) as T;
    assertVersion(current, precondition);
    if (change && current.moderation) throw new ConflictError(`${current.id} is already hidden`);
    if (!change && !current.moderation) throw new ConflictError(`${current.id} is not hidden`);
    const now = ctx.clock().toISOString();
    const moderation = change && { hiddenAt: now, hiddenBy: change.by, reason: change.reason };
    const data = {
      postId: target.postId,
      programId: target.programId,
      ...(target.replyId ? { replyId: target.replyId } : {}),
    };
    await store.posts.moderate(
      current,
      moderation,
      now,
      domainEvent(change ? 'post.hidden' : 'post.unhidden', data),
    );
    const { moderation: _previous, ...rest } = current;
    return {
      ...rest,
      ...(moderation ? { moderation } : {}),
      updatedAt: now,
      version: current.version + 1,
    } as T;
  });
}
