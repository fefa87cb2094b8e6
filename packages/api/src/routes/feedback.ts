import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  meetingFeedbackSummary,
  ownFeedback,
  relationshipFeedbackSummary,
  submitFeedback,
} from '@tandem/app';
import { feedback, feedbackInput, feedbackSummary } from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf } from '../http/etag.ts';
import { idempotency, requireActor, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonBody,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Feedback'];
const relationshipParams = idParams({ relationshipId: 'relationship' });
const params = idParams({ relationshipId: 'relationship', meetingId: 'meeting' });

export function registerFeedbackRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}/feedback',
      operationId: 'submitMeetingFeedback',
      description:
        'Rates a held meeting (1–5), with an optional comment and an optional "is this pairing working?" answer. Only members who attended rate it, with their own token (API keys: 403), and only once: feedback is final, so a second submission is 409. The comment is for the author alone unless `shareCommentWithAdmins` is true; admins always see the rating in aggregates.',
      tags,
      summary: 'Rate a held meeting you attended (once)',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(feedbackInput) },
      responses: {
        201: jsonResponse(feedback, 'Recorded'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const value = await submitFeedback(actorContext(c), relationshipId, meetingId, c.req.valid('json'));
      c.header('location', `/v1/relationships/${relationshipId}/meetings/${meetingId}/my-feedback`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}/my-feedback',
      operationId: 'getMyMeetingFeedback',
      description:
        "Returns the caller's own feedback on a meeting (404 until given). Members only, with their own token; API keys get 403 (admins read aggregates instead).",
      tags,
      summary: 'Your feedback on a meeting',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(feedback, 'Your feedback'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      const value = await ownFeedback(actorContext(c), relationshipId, meetingId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/meetings/{meetingId}/feedback-summary',
      operationId: 'getMeetingFeedbackSummary',
      description:
        "Aggregates a meeting's feedback for admins: count, average rating, how many gave each rating and each pairing answer, and the comments their authors chose to share. Needs `read` or `programs:write`.",
      tags,
      summary: "A meeting's feedback in aggregate",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(feedbackSummary, 'The aggregate'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { relationshipId, meetingId } = c.req.valid('param');
      return c.json(await meetingFeedbackSummary(tenantContext(c), relationshipId, meetingId), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/feedback-summary',
      operationId: 'getRelationshipFeedbackSummary',
      description:
        "Aggregates the feedback on all of a relationship's meetings for admins: count, average rating, distributions, and only the comments their authors shared. Needs `read` or `programs:write`.",
      tags,
      summary: "A relationship's feedback in aggregate",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params: relationshipParams },
      responses: {
        200: jsonResponse(feedbackSummary, 'The aggregate'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) =>
      c.json(await relationshipFeedbackSummary(tenantContext(c), c.req.valid('param').relationshipId), 200),
  );
}
