import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listReflections, writeReflection } from '@tandem/app';
import { reflection, reflectionInput } from '@tandem/core';
import { type AppEnv, actorContext } from '../env.ts';
import { etagOf } from '../http/etag.ts';
import { idempotency, requireActor } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonBody,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Relationships'];
const params = idParams({ relationshipId: 'relationship' });

const reflectionList = z
  .object({
    items: z.array(reflection).max(20).meta({ description: 'At most one per member' }),
  })
  .meta({ id: 'ReflectionList' });

export function registerReflectionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/relationships/{relationshipId}/reflection',
      operationId: 'writeReflection',
      description:
        'A member writes their closing reflection: what went well, what they learned, whether they would recommend the program, and anything else. Once per member (409 the second time), at any point of the relationship, also after it ended. The other members read it; admins read it too unless `shareWithAdmins` is false, in which case they see only that it was written and `wouldRecommend`. Events carry none of its words. Only a member, with their participant token (an API key gets 403; anyone else 404).',
      tags,
      summary: 'Write your closing reflection on a relationship',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(reflectionInput) },
      responses: {
        201: jsonResponse(reflection, 'Created'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const value = await writeReflection(actorContext(c), relationshipId, c.req.valid('json'));
      c.header('location', `/v1/relationships/${relationshipId}/reflections`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/relationships/{relationshipId}/reflections',
      operationId: 'listReflections',
      description:
        "The closing reflections written on a relationship, kept with its history after it ended. Members read them all; admins read each one's words only when its author shared them. Needs `read` or `programs:write`, or a participant token of a member.",
      tags,
      summary: "A relationship's closing reflections",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(reflectionList, 'The reflections written so far'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const items = await listReflections(actorContext(c), c.req.valid('param').relationshipId);
      return c.json({ items }, 200);
    },
  );
}
