import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  getMeeting,
  listMeetings,
  logMeeting,
  readPrivateNote,
  scheduleMeeting,
  updateMeeting,
  writePrivateNote,
} from '@tandem/app';
import {
  meeting,
  meetingInput,
  meetingLogInput,
  meetingPatch,
  meetingStatuses,
  privateNote,
  privateNoteInput,
} from '@tandem/core';
import { type AppEnv, actorContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireActor } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  ifMatchHeaders,
  jsonBody,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Meetings'];
const relationshipParams = idParams({ relationshipId: 'relationship' });
const params = idParams({ relationshipId: 'relationship', meetingId: 'meeting' });

const listQuery = z.strictObject({
  ...listQueryFields,
  when: z.enum(['upcoming', 'past', 'all']).default('upcoming').meta({
    description:
      '`upcoming` (default): starting now or later, soonest first; `past`: started before now, latest first; `all`: every meeting by start',
  }),
  status: z.enum(meetingStatuses).optional(),
});

const who =
  "The relationship's members with their own token, or an API key with `programs:write`; anyone else gets 404.";
const readers =
  "The relationship's members, or an API key with `read` or `programs:write`; anyone else gets 404.";

export function registerMeetingRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/meetings',
      operationId: 'scheduleMeeting',
      description: `Schedules a meeting: its start as a UTC instant, the time zone of whoever schedules it, a duration, a place or a video link, and an agenda. A relationship that ended takes no meetings (409). ${who}`,
      tags,
      summary: 'Schedule a meeting of a relationship',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params: relationshipParams, headers: idempotencyHeaders, ...jsonBody(meetingInput) },
      responses: {
        201: jsonResponse(meeting, 'Scheduled'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const value = await scheduleMeeting(actorContext(c), relationshipId, c.req.valid('json'));
      c.header('location', `/v1/relationships/${relationshipId}/meetings/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/meetings',
      operationId: 'listMeetings',
      description: `Lists a relationship's meetings by start time: upcoming ones first by default, optionally by status. ${readers}`,
      tags,
      summary: "List a relationship's meetings, upcoming first",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: relationshipParams, query: listQuery },
      responses: {
        200: jsonResponse(pageOf(meeting, 'MeetingPage'), 'A page of meetings'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listMeetings(actorContext(c), c.req.valid('param').relationshipId, filter, {
        limit,
        cursor,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}',
      operationId: 'getMeeting',
      description: `Returns one meeting, with what was logged about it (outcome, attendance, topics, shared notes). ${readers}`,
      tags,
      summary: 'A meeting with its log',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(meeting, 'The meeting'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const value = await getMeeting(actorContext(c), relationshipId, meetingId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}',
      operationId: 'updateMeeting',
      description: `Applies a JSON Merge Patch to a scheduled meeting: move it, change its duration, place, link or agenda. A logged meeting, or one of a relationship that ended, no longer changes (409). ${who}`,
      tags,
      summary: 'Reschedule or edit a scheduled meeting',
      middleware: [requireActor('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(meetingPatch) },
      responses: {
        200: jsonResponse(meeting, 'The updated meeting'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const next = await updateMeeting(
        actorContext(c),
        relationshipId,
        meetingId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}/log',
      operationId: 'logMeeting',
      description: `Records what happened, once: \`held\` (every member listed, two or more attended), \`no_show\` (every member listed, someone missed it) or \`cancelled\` (no attendance); topics and notes every member and admin can read. Held and no-show only after the start (422). A meeting already logged is 409. ${who}`,
      tags,
      summary: 'Log a meeting: held, cancelled or no-show, with attendance, topics and shared notes',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: {
        params,
        headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
        ...jsonBody(meetingLogInput),
      },
      responses: {
        200: jsonResponse(meeting, 'The logged meeting'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const next = await logMeeting(
        actorContext(c),
        relationshipId,
        meetingId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}/private-note',
      operationId: 'getPrivateMeetingNote',
      description:
        "Returns the caller's own private note on a meeting. Only its author reads it: other members get 404 (they have their own), and API keys, admins' included, are refused (403). Private notes are never in events, webhooks or exports.",
      tags,
      summary: 'Your private note on a meeting',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(privateNote, 'Your note'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const note = await readPrivateNote(actorContext(c), relationshipId, meetingId);
      c.header('etag', etagOf(note.version));
      return c.json(note, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}/private-note',
      operationId: 'putPrivateMeetingNote',
      description:
        "Creates or replaces the caller's own private note on a meeting (members only; API keys are refused with 403). No event is written: an event would tell admins and webhook subscribers that a note exists.",
      tags,
      summary: 'Write your private note on a meeting',
      middleware: [requireActor('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(privateNoteInput) },
      responses: {
        200: jsonResponse(privateNote, 'The replaced note'),
        201: jsonResponse(privateNote, 'The new note'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const { note, created } = await writePrivateNote(
        actorContext(c),
        relationshipId,
        meetingId,
        c.req.valid('json').text,
        preconditionOf(c),
      );
      c.header('etag', etagOf(note.version));
      return created ? c.json(note, 201) : c.json(note, 200);
    },
  );
}
