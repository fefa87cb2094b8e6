import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  awardCertificate,
  certificateByLink,
  getAward,
  listPersonAwards,
  listProgramAwards,
} from '@tandem/app';
import { award } from '@tandem/core';
import { type AppEnv, actorContext, tenantContext } from '../env.ts';
import { etagOf } from '../http/etag.ts';
import {
  requireActor,
  requireCertificateLink,
  requireParticipant,
  requireScope,
} from '../http/middleware.ts';
import {
  commonProblems,
  idParams,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Recognition'];
const awardPage = pageOf(award, 'AwardPage');
const listQuery = z.strictObject(listQueryFields);
const pdf = (description: string) => ({
  description,
  content: { 'application/pdf': { schema: z.string().max(10_000_000).meta({ format: 'binary' }) } },
});

const linkParams = z.strictObject({
  link: z
    .string()
    .regex(
      /^ten_[0-9a-hjkmnp-tv-z]{26}\.awd_[0-9a-hjkmnp-tv-z]{26}\.[0-9]{1,12}\.[A-Za-z0-9_-]{43}$/,
      'must be a certificate link token',
    )
    .meta({
      param: { name: 'link', in: 'path' },
      description: 'The signed token of the link in `recognition.awarded` (`certificateUrl`)',
      example: `ten_${'0'.repeat(26)}.awd_${'0'.repeat(26)}.1767225600.${'A'.repeat(43)}`,
      maxLength: 128,
    }),
});

const sendPdf = (bytes: Uint8Array, awardId: string) =>
  new Response(bytes, {
    status: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="certificate-${awardId}.pdf"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });

export function registerAwardRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/people/{personId}/awards',
      operationId: 'listPersonAwards',
      description:
        "A person's awards, oldest first, with their status (`granting`, `awarded`, or `failed` with the reason). API keys with `read` or `programs:write`; a participant only their own (another's: 404).",
      tags,
      summary: "List a person's awards",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: idParams({ personId: 'person' }), query: listQuery },
      responses: {
        200: jsonResponse(awardPage, 'A page of awards'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) =>
      c.json(
        await listPersonAwards(actorContext(c), c.req.valid('param').personId, c.req.valid('query')),
        200,
      ),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/awards',
      operationId: 'listProgramAwards',
      description: 'The awards given for work in a program, oldest first. Needs `read` or `programs:write`.',
      tags,
      summary: "List a program's awards",
      middleware: [requireScope('read', 'programs:write')] as const,
      request: { params: idParams({ programId: 'program' }), query: listQuery },
      responses: {
        200: jsonResponse(awardPage, 'A page of awards'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) =>
      c.json(
        await listProgramAwards(tenantContext(c), c.req.valid('param').programId, c.req.valid('query')),
        200,
      ),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/me/awards',
      operationId: 'listMyAwards',
      description: 'Your awards, oldest first. Participants only, with their own token.',
      tags: ['Me (participants)', ...tags],
      summary: 'List your awards',
      middleware: [requireParticipant()] as const,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(awardPage, 'A page of your awards'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const ctx = actorContext(c);
      const personId = ctx.actor.kind === 'participant' ? ctx.actor.personId : '';
      return c.json(await listPersonAwards(ctx, personId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/awards/{awardId}',
      operationId: 'getAward',
      description:
        'One award with its ETag. API keys with `read` or `programs:write`; a participant only their own (404 otherwise).',
      tags,
      summary: 'Get an award',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: idParams({ awardId: 'award' }) },
      responses: { 200: jsonResponse(award, 'The award'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const value = await getAward(actorContext(c), c.req.valid('param').awardId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/awards/{awardId}/certificate',
      operationId: 'getAwardCertificate',
      description:
        "The award's PDF certificate (the person's name, the award, the program, the date, the organization); 404 while the award has none. API keys with `read` or `programs:write`; a participant only their own.",
      tags,
      summary: "Download an award's certificate (PDF)",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: idParams({ awardId: 'award' }) },
      responses: { 200: pdf('The certificate'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const { awardId } = c.req.valid('param');
      return sendPdf(
        await awardCertificate(actorContext(c), c.get('deps').recognition.certificates, awardId),
        awardId,
      );
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/certificates/{link}',
      operationId: 'getCertificateByLink',
      description:
        'The PDF certificate a signed link names, as `recognition.awarded` announces it (`certificateUrl`). It takes no credentials (`security: []`): the HMAC-signed token is the credential, until `certificateUrlExpiresAt`; an expired, altered or forged link is 404.',
      tags,
      summary: 'Download a certificate by its signed link (no Authorization)',
      security: [],
      middleware: [requireCertificateLink()] as const,
      request: { params: linkParams },
      responses: { 200: pdf('The certificate'), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const awardId = c.req.valid('param').link.split('.')[1]!;
      return sendPdf(
        await certificateByLink(tenantContext(c), c.get('deps').recognition.certificates, awardId),
        awardId,
      );
    },
  );
}
