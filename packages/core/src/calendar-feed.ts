import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { isoDateTime } from './common.ts';

/** Calendar feed tokens: a recognizable prefix + 256 random bits; only the SHA-256 hash is stored. */
export const CALENDAR_FEED_TOKEN_PREFIX = 'cal_';
export const calendarFeedTokenPattern = /^cal_[A-Za-z0-9_-]{43}$/;

export const newCalendarFeedToken = () =>
  `${CALENDAR_FEED_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** A person's feed as stored: which token hash is current. */
export interface CalendarFeedRecord {
  personId: string;
  secretHash: string;
  createdAt: string;
  version: number;
}

export const calendarFeedIssued = z
  .strictObject({
    createdAt: isoDateTime,
    rotated: z
      .boolean()
      .meta({ description: 'Whether this replaced an earlier feed, whose URL now answers 404' }),
  })
  .meta({ id: 'CalendarFeed' });
