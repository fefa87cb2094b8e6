import { domainEvent, hashSecret, NotFoundError, newCalendarFeedToken } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';
import { assertVersion, type Precondition, readModifyWrite, retryOnFreshState } from '../versioned.ts';

export interface IssuedCalendarFeed {
  /** The credential, shown once: only its SHA-256 hash is stored. */
  token: string;
  createdAt: string;
  rotated: boolean;
  version: number;
}

/** Creates the acting person's calendar feed, or rotates it: the previous URL stops working at once. */
export async function issueCalendarFeed(ctx: ActorContext): Promise<IssuedCalendarFeed> {
  const personId = participantOf(ctx.actor);
  return retryOnFreshState(async () => {
    const previous = await ctx.store.calendarFeeds.current(personId);
    const token = newCalendarFeedToken();
    const next = {
      personId,
      secretHash: hashSecret(token),
      createdAt: ctx.clock().toISOString(),
      version: (previous?.version ?? 0) + 1,
    };
    await ctx.store.calendarFeeds.issue(
      previous,
      next,
      domainEvent('calendar_feed.created', { personId, rotated: previous !== undefined }),
    );
    return { token, createdAt: next.createdAt, rotated: previous !== undefined, version: next.version };
  });
}

/** Revokes the acting person's calendar feed: its URL answers 404 from now on. */
export async function revokeCalendarFeed(ctx: ActorContext, precondition: Precondition): Promise<void> {
  const personId = participantOf(ctx.actor);
  await readModifyWrite(precondition, async () => {
    const current = await ctx.store.calendarFeeds.current(personId);
    if (!current) throw new NotFoundError('You have no calendar feed');
    assertVersion(current, precondition);
    await ctx.store.calendarFeeds.revoke(current, domainEvent('calendar_feed.revoked', { personId }));
  });
}
