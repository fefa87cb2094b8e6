import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  answerSurvey,
  createSurvey,
  getMySurvey,
  getSurveyResults,
  listMySurveys,
  listSurveyResponses,
  listSurveys,
  updateSurvey,
} from '@tandem/app';
import {
  mySurvey,
  survey,
  surveyAnswersInput,
  surveyInput,
  surveyInstance,
  surveyPatch,
  surveyResponse,
  surveyResults,
} from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireParticipant, requireScope } from '../http/middleware.ts';
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

const tags = ['Surveys'];
const programParams = idParams({ programId: 'program' });
const params = idParams({ programId: 'program', surveyId: 'survey' });
const instanceParams = idParams({ instanceId: 'surveyInstance' });
const pageQuery = z.strictObject(listQueryFields);

export function registerSurveyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/surveys',
      operationId: 'createSurvey',
      description:
        'Defines a survey of the program: questions (`likert` 1–5, `nps` 0–10, `single_choice`, `multiple_choice`, `free_text`, each optionally tagged with the skill or outcome it `measures`) and schedules that open instances for participants: `pre_program` on enrollment, `fit_check` 14 days after a relationship starts (its `rematchOn` answer opens a rematch request in identified programs), `pulse` 30 days after the start and then every `everyDays`, `post_meeting` when a meeting is logged held (for each member who attended), `close_out` when a relationship is completed. A program has one active survey per schedule kind (409). Needs `programs:write`.',
      tags,
      summary: 'Define a survey of a program',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params: programParams, headers: idempotencyHeaders, ...jsonBody(surveyInput) },
      responses: { 201: jsonResponse(survey, 'Created'), ...problemResponses(...commonProblems, 404, 409) },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const value = await createSurvey(tenantContext(c), programId, c.req.valid('json'));
      c.header('location', `/v1/programs/${programId}/surveys/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/surveys',
      operationId: 'listSurveys',
      description: "The program's surveys, oldest first. Needs `read` or `programs:write`.",
      tags,
      summary: "List a program's surveys",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params: programParams, query: pageQuery },
      responses: {
        200: jsonResponse(pageOf(survey, 'SurveyPage'), 'A page of surveys'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      return c.json(await listSurveys(tenantContext(c), programId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/surveys/{surveyId}',
      operationId: 'getSurvey',
      description: 'One survey with its ETag and response count. Needs `read` or `programs:write`.',
      tags,
      summary: 'Get a survey',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: { 200: jsonResponse(survey, 'The survey'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const { programId, surveyId } = c.req.valid('param');
      const value = await tenantContext(c).store.surveys.get(programId, surveyId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/programs/{programId}/surveys/{surveyId}',
      operationId: 'updateSurvey',
      description:
        'Applies a JSON Merge Patch (RFC 7396); arrays (questions, schedules) are replaced. Once a survey has responses its questions keep their ids, kinds and options (new options and questions may be added, prompts reworded): otherwise 409. `active: false` stops opening new instances. Changed schedules apply to instances opened from then on. Needs `programs:write`.',
      tags,
      summary: 'Update a survey (JSON Merge Patch)',
      middleware: [requireScope('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(surveyPatch) },
      responses: {
        200: jsonResponse(survey, 'The updated survey'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { programId, surveyId } = c.req.valid('param');
      const next = await updateSurvey(
        tenantContext(c),
        programId,
        surveyId,
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
      path: '/v1/programs/{programId}/surveys/{surveyId}/results',
      operationId: 'getSurveyResults',
      description:
        "A survey's responses in aggregate, one slice per schedule: respondents, and per question the number of answers, the distribution, the mean (likert, nps) and the NPS score (choices in the question's order, scores ascending). Read from the survey's tally, which every answer keeps, so it costs the same however many answered. In an anonymous program (`anonymity.mode`), any slice or question with fewer than `k` respondents is suppressed, and one more slice where a single one would otherwise be inferable. Needs `read` or `programs:write`.",
      tags,
      summary: "A survey's results in aggregate (k-anonymous where the program is anonymous)",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(surveyResults, 'The results'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId, surveyId } = c.req.valid('param');
      return c.json(await getSurveyResults(tenantContext(c), programId, surveyId), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/surveys/{surveyId}/responses',
      operationId: 'listSurveyResponses',
      description:
        "A survey's individual responses with who answered, oldest first: identified programs only. An anonymous program's responses are read in aggregate (`…/results`); here they are 409. Needs `read` or `programs:write`.",
      tags,
      summary: "A survey's individual responses (identified programs)",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params, query: pageQuery },
      responses: {
        200: jsonResponse(pageOf(surveyResponse, 'SurveyResponsePage'), 'A page of responses'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, surveyId } = c.req.valid('param');
      return c.json(
        await listSurveyResponses(tenantContext(c), programId, surveyId, c.req.valid('query')),
        200,
      );
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/me/surveys',
      operationId: 'listMySurveys',
      description:
        'The surveys put to the participant, newest first: `open` ones wait for an answer by `dueAt`, `answered` ones can be changed until `expiresAt`, then they are `closed` (or `expired` unanswered). A participant token only.',
      tags,
      summary: 'My surveys',
      middleware: [requireParticipant()] as const,
      request: { query: pageQuery },
      responses: {
        200: jsonResponse(pageOf(surveyInstance, 'SurveyInstancePage'), 'A page of survey instances'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await listMySurveys(actorContext(c), c.req.valid('query')), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/me/surveys/{instanceId}',
      operationId: 'getMySurvey',
      description:
        "One of the participant's own survey instances, with the questions and their answers once given; anyone else's is 404. A participant token only.",
      tags,
      summary: 'One of my surveys, with its questions and my answers',
      middleware: [requireParticipant()] as const,
      request: { params: instanceParams },
      responses: {
        200: jsonResponse(mySurvey, 'The survey instance'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await getMySurvey(actorContext(c), c.req.valid('param').instanceId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/v1/me/surveys/{instanceId}/response',
      operationId: 'answerMySurvey',
      description:
        "Answers one of the participant's own survey instances, or replaces the answers until it closes (409 after `expiresAt`). Every required question is answered, each at most once, and every answer fits its question's kind: likert an integer 1–5, nps 0–10, single_choice one option, multiple_choice a list of options, free_text text (422 naming the question). In an identified program, the fit check's `rematchOn` answer opens a rematch request. A participant token only.",
      tags,
      summary: 'Answer one of my surveys (editable until it closes)',
      middleware: [requireParticipant()] as const,
      request: { params: instanceParams, headers: ifMatchHeaders, ...jsonBody(surveyAnswersInput) },
      responses: {
        200: jsonResponse(mySurvey, 'The answered instance'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const value = await answerSurvey(
        actorContext(c),
        c.req.valid('param').instanceId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );
}
