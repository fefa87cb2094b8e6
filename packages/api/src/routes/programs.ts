import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createProgram, deleteProgram, transitionProgram, updateProgram } from '@tandem/app';
import { program, programInput, programPatch, programStatuses } from '@tandem/core';
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

const tags = ['Programs'];
const params = idParams({ programId: 'program' });

const transition = z
  .strictObject({ to: z.enum(programStatuses).meta({ description: 'The status to move to' }) })
  .meta({ id: 'ProgramTransition' });

export function registerProgramRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs',
      operationId: 'createProgram',
      description:
        'Creates a program in `draft`. Dates must be in order (endDate not before startDate, enrollmentClosesAt after enrollmentOpensAt). Needs `programs:write`.',
      tags,
      summary: 'Create a program (starts as a draft)',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(programInput) },
      responses: { 201: jsonResponse(program, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const value = await createProgram(tenantContext(c), c.req.valid('json'));
      c.header('location', `/v1/programs/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs',
      operationId: 'listPrograms',
      description: 'Lists programs, optionally by status. Needs `read` or `programs:write`.',
      tags,
      summary: 'List programs',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { query: z.strictObject({ ...listQueryFields, status: z.enum(programStatuses).optional() }) },
      responses: {
        200: jsonResponse(pageOf(program, 'ProgramPage'), 'A page of programs'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, status } = c.req.valid('query');
      return c.json(await c.get('store').programs.list({ status }, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}',
      operationId: 'getProgram',
      description:
        'Returns one program with its ETag and its number of active enrollments. Needs `read` or `programs:write`.',
      tags,
      summary: 'Get a program',
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params },
      responses: { 200: jsonResponse(program, 'The program'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await c.get('store').programs.get(c.req.valid('param').programId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/programs/{programId}',
      operationId: 'updateProgram',
      description:
        'Applies a JSON Merge Patch (RFC 7396): `null` removes an optional field. The format cannot change, and status moves only through /transitions. The merged program must keep its dates in order. Needs `programs:write`.',
      tags,
      summary: 'Update a program (JSON Merge Patch). The format is fixed; status moves through /transitions.',
      middleware: [requireScope('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(programPatch) },
      responses: {
        200: jsonResponse(program, 'The updated program'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const next = await updateProgram(tenantContext(c), programId, c.req.valid('json'), preconditionOf(c));
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/transitions',
      operationId: 'transitionProgram',
      description:
        'Moves a program to another status. Allowed: draft → enrolling or archived; enrolling → matching or archived; matching → enrolling, active or archived; active → completed or archived; completed → archived. Matching needs two active enrollments. Anything else is 409. Needs `programs:write`.',
      tags,
      summary:
        'Move a program through its lifecycle: draft → enrolling → matching → active → completed, or archived',
      middleware: [requireScope('programs:write'), idempotency()] as const,
      request: { params, headers: ifMatchHeaders.extend(idempotencyHeaders.shape), ...jsonBody(transition) },
      responses: {
        200: jsonResponse(program, 'The program in its new status'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const next = await transitionProgram(
        tenantContext(c),
        programId,
        c.req.valid('json').to,
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/programs/{programId}',
      operationId: 'deleteProgram',
      description:
        'Deletes a draft program that has no active enrollments; any other program is archived instead (409). Needs `programs:write`.',
      tags,
      summary: 'Delete a draft program without enrollments (archive anything else)',
      middleware: [requireScope('programs:write')] as const,
      request: { params, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      await deleteProgram(tenantContext(c), c.req.valid('param').programId, preconditionOf(c));
      return c.body(null, 204);
    },
  );
}
