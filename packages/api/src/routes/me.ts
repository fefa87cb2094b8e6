import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { getMe, selfEnroll, updateMyProfile, withdrawMyEnrollment } from '@tandem/app';
import { enrollment, person, profilePatch, relationship, selfEnrollmentInput } from '@tandem/core';
import { type AppEnv, actorContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireParticipant } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  ifMatchHeaders,
  jsonBody,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Me (participants)'];
const enrollmentParams = idParams({ enrollmentId: 'enrollment' });

const me = z
  .object({
    person,
    enrollments: z.array(enrollment).meta({ description: 'Active enrollments, oldest first' }),
    relationships: z
      .array(relationship)
      .meta({ description: 'Relationships that have not ended (not completed or dissolved), newest first' }),
  })
  .meta({ id: 'Me' });

const participantsOnly =
  'Participants only (a token of your organization’s identity provider); API keys get 403.';

export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/me',
      operationId: 'getMe',
      description: `The calling participant's own view: their person, active enrollments and relationships that have not ended. The ETag is the person's version, for If-Match on PATCH /v1/me. ${participantsOnly}`,
      tags,
      summary: 'Your profile, enrollments and current relationships',
      middleware: [requireParticipant()] as const,
      responses: { 200: jsonResponse(me, 'You'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const value = await getMe(actorContext(c));
      c.header('etag', etagOf(value.person.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/me',
      operationId: 'updateMe',
      description: `Applies a JSON Merge Patch (RFC 7396) to your own profile: skillsOffered, skillsWanted, careerGoals, interests, languages, timezone and background. Everything else of a person (email, department, status, externalIds, managerId, …) is your organization's: 422 naming the field. ${participantsOnly}`,
      tags,
      summary: 'Change your own skills, goals, interests, languages, time zone or background',
      middleware: [requireParticipant()] as const,
      request: { headers: ifMatchHeaders, ...jsonBody(profilePatch) },
      responses: {
        200: jsonResponse(person, 'Your updated person'),
        ...problemResponses(...commonProblems, 409, 412),
      },
    }),
    async (c) => {
      const next = await updateMyProfile(actorContext(c), c.req.valid('json'), preconditionOf(c));
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/me/enrollments',
      operationId: 'selfEnroll',
      description: `Enrols you in a program of your organization that takes self-enrolment (its \`selfEnrollment\` setting) while it is enrolling; otherwise 409. The role must fit the program's format, as for any enrollment. A program that is not your organization's is 404. ${participantsOnly}`,
      tags,
      summary: 'Enrol yourself in a program that allows it',
      middleware: [requireParticipant(), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(selfEnrollmentInput) },
      responses: {
        201: jsonResponse(enrollment, 'Created'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const value = await selfEnroll(actorContext(c), c.req.valid('json'));
      c.header('location', `/v1/programs/${value.programId}/enrollments/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/me/enrollments/{enrollmentId}/withdraw',
      operationId: 'withdrawMyEnrollment',
      description: `Withdraws one of your own active enrollments: it stays for history and frees the seat. Anyone else's enrollment, or one already withdrawn, is 404. ${participantsOnly}`,
      tags,
      summary: 'Withdraw one of your enrollments',
      middleware: [requireParticipant(), idempotency()] as const,
      request: { params: enrollmentParams, headers: ifMatchHeaders.extend(idempotencyHeaders.shape) },
      responses: {
        200: jsonResponse(enrollment, 'The withdrawn enrollment'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const next = await withdrawMyEnrollment(
        actorContext(c),
        c.req.valid('param').enrollmentId,
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );
}
