import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { setPeopleSource } from '@tandem/app';
import { peopleSource, peopleSourceInput } from '@tandem/core';
import { type AppEnv, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  ifMatchHeaders,
  jsonBody,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['People'];

export function registerPeopleSourceRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/people-source',
      operationId: 'getPeopleSource',
      description:
        "Returns the organization's source of truth for people: `none` (the default), `scim` or `hris:<connectionId>`. Needs the `admin` scope.",
      tags,
      summary: 'Get the source of truth for people',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject({}) },
      responses: {
        200: jsonResponse(peopleSource, 'The people source'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const value = await c.get('store').peopleSource.get();
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/v1/people-source',
      operationId: 'setPeopleSource',
      description:
        "Names the source of truth for people. While it is `scim` or `hris:<connectionId>`, only that source writes the synced person fields (name, email, department, title, location, managerId, hireDate, status) and deprovisions: an admin changing one gets 409 naming the field, SCIM gets 400 `mutability`, and another HRIS connection's changes are ignored, with the reason in its event log. Other person fields stay editable. `none` lets every source write. Needs the `admin` scope.",
      tags,
      summary: 'Set the source of truth for people (none, scim or an HRIS connection)',
      middleware: [requireScope('admin')] as const,
      request: { headers: ifMatchHeaders, ...jsonBody(peopleSourceInput) },
      responses: {
        200: jsonResponse(peopleSource, 'The people source'),
        ...problemResponses(...commonProblems, 409, 412),
      },
    }),
    async (c) => {
      const value = await setPeopleSource(tenantContext(c), c.req.valid('json').source, preconditionOf(c));
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );
}
