import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createGoal, getGoal, listGoals, listGoalUpdates, recordGoalProgress, updateGoal } from '@tandem/app';
import { goal, goalInput, goalPatch, goalProgressInput, goalUpdate } from '@tandem/core';
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

const tags = ['Goals'];
const relationshipParams = idParams({ relationshipId: 'relationship' });
const params = idParams({ relationshipId: 'relationship', goalId: 'goal' });
const goals = '/v1/relationships/{relationshipId}/goals';

const who =
  "The relationship's members (participant token) and admins with `programs:write` write; `read` keys read. " +
  'A participant reaches only their own relationships (404 otherwise). Goals of an ended relationship are read-only (409).';

export function registerGoalRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: goals,
      operationId: 'createGoal',
      description: `Sets a goal of the relationship, or of one member (\`ownerId\`, a member: 422 otherwise). Progress on a goal not started starts it; an achieved one is complete unless progress says otherwise. ${who}`,
      tags,
      summary: 'Set a goal of the relationship or of one member',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params: relationshipParams, headers: idempotencyHeaders, ...jsonBody(goalInput) },
      responses: { 201: jsonResponse(goal, 'Created'), ...problemResponses(...commonProblems, 404, 409) },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const value = await createGoal(actorContext(c), relationshipId, c.req.valid('json'));
      c.header('location', `/v1/relationships/${relationshipId}/goals/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: goals,
      operationId: 'listGoals',
      description: `Lists the relationship's goals, oldest first. ${who}`,
      tags,
      summary: "List the relationship's goals",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: relationshipParams, query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(goal, 'GoalPage'), 'A page of goals'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await listGoals(actorContext(c), c.req.valid('param').relationshipId, { limit, cursor }),
        200,
      );
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: `${goals}/{goalId}`,
      operationId: 'getGoal',
      description: `Returns one goal with its ETag. ${who}`,
      tags,
      summary: 'Get a goal',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: { 200: jsonResponse(goal, 'The goal'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const { relationshipId, goalId } = c.req.valid('param');
      const value = await getGoal(actorContext(c), relationshipId, goalId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: `${goals}/{goalId}`,
      operationId: 'updateGoal',
      description: `Changes a goal by JSON Merge Patch (RFC 7396): \`null\` removes an optional field. A change of progress or status is appended to the goal's history. ${who}`,
      tags,
      summary: 'Update a goal (JSON Merge Patch)',
      middleware: [requireActor('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(goalPatch) },
      responses: {
        200: jsonResponse(goal, 'The updated goal'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId, goalId } = c.req.valid('param');
      const next = await updateGoal(
        actorContext(c),
        relationshipId,
        goalId,
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
      path: `${goals}/{goalId}/updates`,
      operationId: 'recordGoalProgress',
      description: `Records progress on a goal (and optionally its status and a note), as one entry of its history; the goal takes the new progress and status. The note is shown to the members and admins, and never sent in events. If-Match names the goal's version. ${who}`,
      tags,
      summary: 'Record progress on a goal',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: {
        params,
        headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
        ...jsonBody(goalProgressInput),
      },
      responses: {
        201: jsonResponse(goalUpdate, "The history entry (ETag: the goal's new version)"),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId, goalId } = c.req.valid('param');
      const { goal: next, update } = await recordGoalProgress(
        actorContext(c),
        relationshipId,
        goalId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(update, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: `${goals}/{goalId}/updates`,
      operationId: 'listGoalUpdates',
      description: `A goal's history of progress and status, oldest first, with the notes. ${who}`,
      tags,
      summary: "A goal's history of progress",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params, query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(goalUpdate, 'GoalUpdatePage'), 'A page of history entries'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { relationshipId, goalId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listGoalUpdates(actorContext(c), relationshipId, goalId, { limit, cursor }), 200);
    },
  );
}
