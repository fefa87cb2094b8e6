import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { calendarFeedEntries, issueCalendarFeed, revokeCalendarFeed } from '@tandem/app';
import { calendarFeedIssued } from '@tandem/core';
import { type AppEnv, actorContext, nowOf } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { renderCalendar } from '../http/icalendar.ts';
import { shownOnce } from '../http/idempotency.ts';
import { idempotency, requireCalendarFeedToken, requireParticipant } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  ifMatchHeaders,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';
import { publicUrl } from '../http/public-url.ts';

const tags = ['Calendar feeds'];

const issued = calendarFeedIssued
  .extend({
    url: shownOnce(
      'The feed URL to subscribe to in a calendar app; it holds the token, which is the credential.',
    ),
  })
  .meta({ id: 'CalendarFeedWithUrl' });

const feedParams = z.strictObject({
  feed: z
    .string()
    .regex(/^cal_[A-Za-z0-9_-]{43}\.ics$/, 'must be a calendar feed token followed by .ics')
    .meta({
      param: { name: 'feed', in: 'path' },
      description: 'The feed token (`cal_…`) followed by `.ics`, as in the URL the feed was created with',
      example: `cal_${'A'.repeat(43)}.ics`,
      maxLength: 51,
    }),
});

export function registerCalendarFeedRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/me/calendar-feed',
      operationId: 'createCalendarFeed',
      description:
        "Creates the caller's calendar feed, or rotates it: a new secret URL of an iCalendar (RFC 5545) feed of their meetings, shown in this response only. The previous URL stops working at once. Participants only, with their own token.",
      tags,
      summary: 'Create or rotate your calendar feed (the URL is shown once)',
      middleware: [requireParticipant(), idempotency({ secrets: ['url'] })] as const,
      request: { headers: idempotencyHeaders },
      responses: { 201: jsonResponse(issued, 'Created'), ...problemResponses(...commonProblems, 409) },
    }),
    async (c) => {
      const feed = await issueCalendarFeed(actorContext(c));
      c.header('etag', etagOf(feed.version));
      return c.json(
        {
          createdAt: feed.createdAt,
          rotated: feed.rotated,
          url: publicUrl(c, `/v1/calendar-feeds/${feed.token}.ics`),
        },
        201,
      );
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/me/calendar-feed',
      operationId: 'revokeCalendarFeed',
      description:
        "Revokes the caller's calendar feed: its URL answers 404 from now on. Participants only, with their own token.",
      tags,
      summary: 'Revoke your calendar feed',
      middleware: [requireParticipant()] as const,
      request: { headers: ifMatchHeaders },
      responses: { 204: { description: 'Revoked' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      await revokeCalendarFeed(actorContext(c), preconditionOf(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/calendar-feeds/{feed}',
      operationId: 'getCalendarFeed',
      description:
        "The iCalendar (RFC 5545) feed of one person's meetings, for calendar apps to subscribe to: one event per meeting that is scheduled or took place (cancelled ones drop out), times in UTC, each with a stable UID and a SEQUENCE that grows with every change. Calendar apps send no credentials, so this operation takes none (`security: []`): the unguessable token in the path (256 random bits, stored only as a hash) is the credential, and rotating or revoking the feed makes it 404.",
      tags,
      summary: 'A calendar feed (no Authorization: the token in the URL is the credential)',
      security: [],
      middleware: [requireCalendarFeedToken()] as const,
      request: { params: feedParams },
      responses: {
        200: {
          description: 'The calendar',
          content: { 'text/calendar': { schema: z.string().max(10_000_000) } },
        },
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const ics = await renderCalendar(await calendarFeedEntries(actorContext(c)), nowOf(c));
      c.header('cache-control', 'private, max-age=300');
      return c.body(ics, 200, { 'content-type': 'text/calendar; charset=utf-8' });
    },
  );
}
