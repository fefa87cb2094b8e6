import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  acceptAgreement,
  getAgreement,
  listAgreementVersions,
  patchAgreement,
  putAgreement,
} from '@tandem/app';
import {
  agreement,
  agreementAcceptanceInput,
  agreementPatch,
  agreementTerms,
  agreementVersion,
} from '@tandem/core';
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

const tags = ['Agreements'];
const params = idParams({ relationshipId: 'relationship' });
const path = '/v1/relationships/{relationshipId}/agreement';

const whoWrites =
  "Only the relationship's members write and accept it, with their own participant token (an API key gets 403): it is their mutual agreement. " +
  'Admins read it with `read` or `programs:write`; a participant reaches only their own relationships (404 otherwise).';

export function registerAgreementRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path,
      operationId: 'getAgreement',
      description: `Returns the current version of the relationship's agreement, who accepted it and who has yet to (404 before the first draft). The ETag is the version. ${whoWrites}`,
      tags,
      summary: "The relationship's agreement: current version and its acceptances",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params },
      responses: {
        200: jsonResponse(agreement, 'The current version'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await getAgreement(actorContext(c), c.req.valid('param').relationshipId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path,
      operationId: 'putAgreement',
      description: `Writes the whole agreement: the first draft (201), or a new version replacing the current one (200; If-Match names the version it replaces). Every new version clears the acceptances: any change needs every member again. Writing the same terms again changes nothing. 409 once the relationship ended. ${whoWrites}`,
      tags,
      summary: 'Draft the agreement, or replace it with a new version',
      middleware: [requireActor('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(agreementTerms) },
      responses: {
        200: jsonResponse(agreement, 'The new version'),
        201: jsonResponse(agreement, 'The first draft'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { relationshipId } = c.req.valid('param');
      const { agreement: value, created } = await putAgreement(
        actorContext(c),
        relationshipId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(value.version));
      if (!created) return c.json(value, 200);
      c.header('location', `/v1/relationships/${relationshipId}/agreement`);
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path,
      operationId: 'updateAgreement',
      description: `Changes the agreement by JSON Merge Patch (RFC 7396), which makes a new version and clears the acceptances; a patch that changes nothing makes none. 404 before the first draft (PUT it), 409 once the relationship ended. ${whoWrites}`,
      tags,
      summary: 'Change the agreement (a new version; everyone accepts again)',
      middleware: [requireActor('programs:write')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(agreementPatch) },
      responses: {
        200: jsonResponse(agreement, 'The new version'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { agreement: value } = await patchAgreement(
        actorContext(c),
        c.req.valid('param').relationshipId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: `${path}/accept`,
      operationId: 'acceptAgreement',
      description: `The calling member accepts the version named in the body, the one they read: 409 if a newer version exists (read it and accept that). Accepting again changes nothing. The acceptance that completes the version makes a relationship pending its agreement active (\`relationship.activated\`) and reaches the \`agreement_accepted\` milestones, in the same transaction. ${whoWrites}`,
      tags,
      summary: 'Accept the version of the agreement you read',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(agreementAcceptanceInput) },
      responses: {
        200: jsonResponse(agreement, 'The agreement with this acceptance'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const value = await acceptAgreement(
        actorContext(c),
        c.req.valid('param').relationshipId,
        c.req.valid('json').version,
      );
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: `${path}/versions`,
      operationId: 'listAgreementVersions',
      description: `Every version of the agreement, oldest first, each with its terms, who wrote it and who accepted it. ${whoWrites}`,
      tags,
      summary: "The agreement's history of versions",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params, query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(agreementVersion, 'AgreementVersionPage'), 'A page of versions'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await listAgreementVersions(actorContext(c), c.req.valid('param').relationshipId, { limit, cursor }),
        200,
      );
    },
  );
}
