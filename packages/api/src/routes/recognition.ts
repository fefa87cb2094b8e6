import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  deleteKudos,
  getKudos,
  getRecognitionSettings,
  giveKudos,
  readRecognitionFeed,
  setRecognitionSettings,
} from '@tandem/app';
import { feedEntry, kudos, kudosInput, recognitionSettings, recognitionSettingsInput } from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireActor, requireScope } from '../http/middleware.ts';
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
const kudosParams = idParams({ kudosId: 'kudos' });

const WHO_SEES =
  'Admins see every kudos; a participant sees organization-visible kudos, program-visible kudos of programs they are enrolled in, and kudos they sent or received (any other is 404).';

export function registerRecognitionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/kudos',
      operationId: 'giveKudos',
      description:
        'Thanks someone with a message, optionally for a skill and linked to one of the sender’s relationships or its meetings. A participant sends as themselves; an admin names `senderId`. Visibility: `organization` (everyone), `program` (participants enrolled in its program; needs a program, given or from the relationship) or `recipient` (the recipient, the sender and admins). Kudos to oneself are 422 (`/recipientId`). Each sender may send the organization’s `kudosPerSenderPerDay` per UTC day (see /v1/recognition-settings); past it the answer is 429 with `Retry-After` (seconds to the next UTC midnight) and nothing is written. Emits `kudos.given`. Needs `programs:write` or a participant token.',
      tags,
      summary: 'Give kudos',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(kudosInput) },
      responses: {
        201: jsonResponse(kudos, 'Created'),
        ...problemResponses(...commonProblems, 429),
      },
    }),
    async (c) => {
      const value = await giveKudos(actorContext(c), c.req.valid('json'));
      c.header('location', `/v1/kudos/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/kudos/{kudosId}',
      operationId: 'getKudos',
      description: `Returns one kudos. ${WHO_SEES} Needs \`read\` or \`programs:write\`, or a participant token.`,
      tags,
      summary: 'One kudos',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: kudosParams },
      responses: { 200: jsonResponse(kudos, 'The kudos'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await getKudos(actorContext(c), c.req.valid('param').kudosId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/kudos/{kudosId}',
      operationId: 'deleteKudos',
      description: `Its sender, or an admin, deletes a kudos; it leaves the feed. Its recipient and anyone else who can see it are refused (403). The sender's daily count is not given back. Emits \`kudos.deleted\`. ${WHO_SEES} Needs \`programs:write\` or a participant token.`,
      tags,
      summary: 'Delete a kudos (its sender or an admin)',
      middleware: [requireActor('programs:write')] as const,
      request: { params: kudosParams, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      await deleteKudos(actorContext(c), c.req.valid('param').kudosId, preconditionOf(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/recognition-feed',
      operationId: 'readRecognitionFeed',
      description: `The organization's recognition feed, newest first: entries of several kinds (\`kind\` says which; today \`kudos\`), each with when it happened. ${WHO_SEES} Needs \`read\` or \`programs:write\`, or a participant token.`,
      tags,
      summary: 'The recognition feed, newest first',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(feedEntry, 'FeedPage'), 'A page of the feed'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await readRecognitionFeed(actorContext(c), c.req.valid('query')), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/recognition-settings',
      operationId: 'getRecognitionSettings',
      description:
        'The organization’s recognition settings; the defaults (version 0, ETag `"0"`) until an admin sets them. Needs `read` or `programs:write`.',
      tags,
      summary: 'Recognition settings',
      middleware: [requireScope('read', 'programs:write')] as const,
      responses: {
        200: jsonResponse(recognitionSettings, 'The settings'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const value = await getRecognitionSettings(tenantContext(c));
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/v1/recognition-settings',
      operationId: 'setRecognitionSettings',
      description:
        'Replaces the organization’s recognition settings (`If-Match: "0"` while the defaults apply). The daily kudos limit applies from the next send. Emits `recognition_settings.updated`. Needs `programs:write`.',
      tags,
      summary: 'Set recognition settings',
      middleware: [requireScope('programs:write')] as const,
      request: { headers: ifMatchHeaders, ...jsonBody(recognitionSettingsInput) },
      responses: {
        200: jsonResponse(recognitionSettings, 'The settings'),
        ...problemResponses(...commonProblems, 409, 412),
      },
    }),
    async (c) => {
      const value = await setRecognitionSettings(tenantContext(c), c.req.valid('json'), preconditionOf(c));
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );
}
