import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createMilestoneRule,
  deleteMilestoneRule,
  listMilestoneRules,
  listMilestonesEarned,
} from '@tandem/app';
import { earnedMilestone, milestoneRule, milestoneRuleInput } from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireActor, requireParticipant, requireScope } from '../http/middleware.ts';
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

const tags = ['Recognition'];
const programParams = idParams({ programId: 'program' });
const ruleParams = idParams({ programId: 'program', ruleId: 'milestoneRule' });
const listQuery = z.strictObject(listQueryFields);
const earnedPage = pageOf(earnedMilestone, 'EarnedMilestonePage');

const HOW =
  'Rules are evaluated after the events that can change their answer (meetings logged, goals set or updated, agreements accepted, relationships completed or dissolved), from the stored facts, so a person earns a rule’s milestone once (`milestone.earned`), however often or in whatever order the events arrive.';

export function registerMilestoneRuleRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/milestone-rules',
      operationId: 'createMilestoneRule',
      description: `Adds a recognition rule to a program: what earns its participants a milestone, and an award when it names \`awardTypeId\`. \`count\` is required by \`meetings_held\` and \`mentored_people\` and refused by the other kinds. ${HOW} Emits \`milestone_rule.created\`. Needs \`programs:write\`.`,
      tags,
      summary: 'Add a milestone rule to a program',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params: programParams, headers: idempotencyHeaders, ...jsonBody(milestoneRuleInput) },
      responses: {
        201: jsonResponse(milestoneRule, 'Created'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const value = await createMilestoneRule(tenantContext(c), programId, c.req.valid('json'));
      c.header('location', `/v1/programs/${programId}/milestone-rules/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/milestone-rules',
      operationId: 'listMilestoneRules',
      description: `Lists a program's milestone rules, oldest first. ${HOW} Needs \`read\` or \`programs:write\`.`,
      tags,
      summary: "List a program's milestone rules",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params: programParams, query: listQuery },
      responses: {
        200: jsonResponse(pageOf(milestoneRule, 'MilestoneRulePage'), 'A page of rules'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      return c.json(await listMilestoneRules(tenantContext(c), programId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/programs/{programId}/milestone-rules/{ruleId}',
      operationId: 'deleteMilestoneRule',
      description:
        'Removes a milestone rule: nobody earns by it any more; milestones already earned by it stay. Emits `milestone_rule.deleted`. Needs `programs:write`.',
      tags,
      summary: 'Remove a milestone rule',
      middleware: [requireScope('programs:write')] as const,
      request: { params: ruleParams, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      const { programId, ruleId } = c.req.valid('param');
      await deleteMilestoneRule(tenantContext(c), programId, ruleId, preconditionOf(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people/{personId}/milestones-earned',
      operationId: 'listMilestonesEarned',
      description:
        'The milestones a person earned by programs’ milestone rules, in the order the rules were made. A participant reads only their own (anyone else’s is 404). Needs `read` or `people:write`, or a participant token.',
      tags,
      summary: "A person's earned milestones",
      middleware: [requireActor('read', 'people:write')] as const,
      request: { params: idParams({ personId: 'person' }), query: listQuery },
      responses: {
        200: jsonResponse(earnedPage, 'A page of earned milestones'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { personId } = c.req.valid('param');
      return c.json(await listMilestonesEarned(actorContext(c), personId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/me/milestones-earned',
      operationId: 'listMyMilestonesEarned',
      description:
        'The milestones the calling participant earned by programs’ milestone rules. Participant token only.',
      tags,
      summary: 'My earned milestones',
      middleware: [requireParticipant()] as const,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(earnedPage, 'A page of earned milestones'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const ctx = actorContext(c);
      const personId = ctx.actor.kind === 'participant' ? ctx.actor.personId : '';
      return c.json(await listMilestonesEarned(ctx, personId, c.req.valid('query')), 200);
    },
  );
}
