import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { enroll, listEnrollments, updateEnrollment, withdrawEnrollment } from '@tandem/app';
import {
  enrollment,
  enrollmentInput,
  enrollmentPatch,
  enrollmentRoles,
  enrollmentStatuses,
  idSchema,
} from '@tandem/core';
import { type AppEnv, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireScope } from '../http/middleware.ts';
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

const tags = ['Enrollments'];
const programParams = idParams({ programId: 'program' });
const params = idParams({ programId: 'program', enrollmentId: 'enrollment' });

const listQuery = z.strictObject({
  ...listQueryFields,
  role: z.enum(enrollmentRoles).optional(),
  status: z.enum(enrollmentStatuses).optional(),
  personId: idSchema('person').optional(),
});

export function registerEnrollmentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/enrollments',
      operationId: 'createEnrollment',
      description:
        "Enrolls a person of your organization in a program while enrollment is open. The role must fit the program's format (mentor or mentee for one_to_one, peer otherwise); only mentors have a capacity; nobody lists themselves in preferences. A second active enrollment of the same person is 409. Needs `programs:write`.",
      tags,
      summary: 'Enroll a person (one active enrollment per person per program)',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params: programParams, headers: idempotencyHeaders, ...jsonBody(enrollmentInput) },
      responses: {
        201: jsonResponse(enrollment, 'Created'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const value = await enroll(tenantContext(c), programId, c.req.valid('json'));
      c.header('location', `/v1/programs/${programId}/enrollments/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/enrollments',
      operationId: 'listEnrollments',
      description:
        "Lists a program's enrollments, filtered by role, status or person. Needs `read` or `programs:write`.",
      tags,
      summary: "List a program's enrollments",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params: programParams, query: listQuery },
      responses: {
        200: jsonResponse(pageOf(enrollment, 'EnrollmentPage'), 'A page of enrollments'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await listEnrollments(tenantContext(c), programId, filter, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/enrollments/{enrollmentId}',
      operationId: 'getEnrollment',
      description: 'Returns one enrollment with its ETag. Needs `read` or `programs:write`.',
      tags,
      summary: 'Get an enrollment',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(enrollment, 'The enrollment'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId, enrollmentId } = c.req.valid('param');
      const value = await c.get('store').enrollments.get(programId, enrollmentId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/programs/{programId}/enrollments/{enrollmentId}',
      operationId: 'updateEnrollment',
      description:
        "Applies a JSON Merge Patch (RFC 7396): `null` removes an optional field. Person and role are fixed; withdraw and enroll again to change them. The merged enrollment must still fit the program's format. Needs `programs:write`.",
      tags,
      summary: 'Update goals, skills, availability, capacity or preferences of an enrollment',
      middleware: [requireScope('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(enrollmentPatch) },
      responses: {
        200: jsonResponse(enrollment, 'The updated enrollment'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { programId, enrollmentId } = c.req.valid('param');
      const next = await updateEnrollment(
        tenantContext(c),
        programId,
        enrollmentId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/programs/{programId}/enrollments/{enrollmentId}',
      operationId: 'withdrawEnrollment',
      description:
        'Withdraws an enrollment: it stays for history, frees its seat and leaves future matching runs. Withdrawing twice returns the withdrawn enrollment. Needs `programs:write`.',
      tags,
      summary: 'Withdraw an enrollment (kept for history; frees the seat)',
      middleware: [requireScope('programs:write')] as const,
      request: { params, headers: ifMatchHeaders },
      responses: {
        200: jsonResponse(enrollment, 'The withdrawn enrollment'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { programId, enrollmentId } = c.req.valid('param');
      const next = await withdrawEnrollment(tenantContext(c), programId, enrollmentId, preconditionOf(c));
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );
}
