import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createPerson, erasePerson, exportPerson, type PersonExportStream, updatePerson } from '@tandem/app';
import { erasure, person, personExport, personInput, personPatch, personStatuses } from '@tandem/core';
import { evictPerson } from '../auth/cache.ts';
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

const tags = ['People'];
const params = idParams({ personId: 'person' });

const listQuery = z.strictObject({
  ...listQueryFields,
  department: z.string().max(120).optional().meta({ description: 'Exact department name' }),
  skill: z
    .string()
    .max(80)
    .optional()
    .meta({ description: 'People who offer or want this skill (case-insensitive)' }),
  status: z.enum(personStatuses).optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional().meta({
    description: 'Only people changed after this time, oldest change first (for syncing)',
    maxLength: 35,
  }),
});

export function registerPeopleRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/people',
      operationId: 'createPerson',
      description:
        'Adds a person to your organization. Emails are unique per organization regardless of case (409). A manager must be another person of the organization. Needs `people:write`.',
      tags,
      summary: 'Add a person to the organization',
      middleware: [requireScope('people:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(personInput) },
      responses: { 201: jsonResponse(person, 'Created'), ...problemResponses(...commonProblems, 409) },
    }),
    async (c) => {
      const value = await createPerson(tenantContext(c), c.req.valid('json'));
      // A token that named nobody may name this person now.
      evictPerson(c.get('tenantId'), value.id);
      c.header('location', `/v1/people/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people',
      operationId: 'listPeople',
      description:
        'Lists people, filtered by department, skill, status, or changes since a time (for syncing). Needs `read` or `people:write`.',
      tags,
      summary: 'List people, filtered by department, skill, status or last change',
      middleware: [requireScope('read', 'people:write')] as const,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(pageOf(person, 'PersonPage'), 'A page of people'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await c.get('store').people.list(filter, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people/{personId}',
      operationId: 'getPerson',
      description: 'Returns one person with its ETag. Needs `read` or `people:write`.',
      tags,
      summary: 'Get a person',
      middleware: [requireScope('read', 'people:write')] as const,
      request: { params },
      responses: { 200: jsonResponse(person, 'The person'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await c.get('store').people.get(c.req.valid('param').personId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/people/{personId}',
      operationId: 'updatePerson',
      description:
        'Applies a JSON Merge Patch (RFC 7396): `null` removes an optional field. Set `status` to `left` for leavers: their ongoing relationships are dissolved (`left_organization`) and their enrollments withdrawn, as SCIM and HR systems deprovision; their history stays. Needs `people:write`.',
      tags,
      summary: 'Update a person (JSON Merge Patch: null clears a field). Set status "left" for leavers.',
      middleware: [requireScope('people:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(personPatch) },
      responses: {
        200: jsonResponse(person, 'The updated person'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { personId } = c.req.valid('param');
      const next = await updatePerson(tenantContext(c), personId, c.req.valid('json'), preconditionOf(c));
      // A leaver's token stops working at once here (in AWS, when API Gateway's cache expires).
      evictPerson(c.get('tenantId'), personId);
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people/{personId}/export',
      operationId: 'exportPerson',
      description:
        "Everything Tandem holds about one person, as one JSON document (GDPR access and portability): one section per area, in a fixed order. Other members' private notes never appear; feedback about the person shows its comment only where its author shared it with admins. Streamed as it is read. Needs `admin`.",
      tags,
      summary: 'Export everything about a person',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: {
        200: jsonResponse(personExport, 'The export document'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await exportPerson(tenantContext(c), c.req.valid('param').personId);
      // The documented JSON document, written as a stream: typed as the JSON it is.
      return c.body(jsonStream(value), 200, {
        'content-type': 'application/json',
      }) as never;
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/people/{personId}/erasure',
      operationId: 'erasePerson',
      description:
        "Erases a person (GDPR right to erasure): their names, email and external ids are pseudonymized everywhere, their identity lookups removed (they can no longer sign in), their own free text (posts, replies, reflections, feedback comments, goal notes, enrollment goals, rematch explanations) erased and their private notes deleted; other members' records, ratings and statuses stay. Events and queued webhook deliveries no longer carry their values; emits `person.erased`. Idempotent: once `completed`, a repeated call answers the same record and changes nothing; a `running` answer (the call stopped mid-way) is finished by repeating the call. Needs `admin`.",
      tags,
      summary: 'Erase a person (GDPR)',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        200: jsonResponse(erasure, 'The erasure, completed'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { personId } = c.req.valid('param');
      const value = await erasePerson(tenantContext(c), personId);
      // Tokens that named this person stop resolving at once.
      evictPerson(c.get('tenantId'), personId);
      return c.json(value, 200);
    },
  );
}

/** The export document as JSON text, produced as its sections are read. */
function jsonStream(value: PersonExportStream): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  async function* chunks() {
    yield `{"personId":${JSON.stringify(value.personId)},"exportedAt":${JSON.stringify(value.exportedAt)},"sections":[`;
    let firstSection = true;
    for await (const section of value.sections) {
      yield `${firstSection ? '' : ','}{"name":${JSON.stringify(section.name)},"items":[`;
      firstSection = false;
      let first = true;
      for await (const item of section.items) {
        yield `${first ? '' : ','}${JSON.stringify(item, (_, v) => (v instanceof Set ? [...v] : v))}`;
        first = false;
      }
      yield ']}';
    }
    yield ']}';
  }
  const iterator = chunks();
  return new ReadableStream({
    async pull(controller) {
      const { done, value: chunk } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
}
