import type { FeedEntry, Kudos } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { feedViewerOf, visibleKudos } from './recognition-access.ts';

/**
 * The recognition feed, newest first: admins read all of it; a participant reads what the whole
 * organization may, what the programs they are enrolled in may, and what they sent or received.
 */
export async function readRecognitionFeed(ctx: ActorContext, page: PageRequest): Promise<Page<FeedEntry>> {
  return ctx.store.recognitionFeed.list(await feedViewerOf(ctx), page);
}

/** One kudos, by the same visibility as the feed (404 for one the reader may not see). */
export function getKudos(ctx: ActorContext, kudosId: string): Promise<Kudos> {
  return visibleKudos(ctx, kudosId);
}
