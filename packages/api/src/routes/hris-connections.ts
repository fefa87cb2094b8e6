import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  addHrisSecret,
  connectionLog,
  createHrisConnection,
  deleteHrisConnection,
  removeHrisSecret,
  updateHrisConnection,
} from '@tandem/app';
import {
  type HrisConnection,
  hrisConnection,
  hrisConnectionInput,
  hrisConnectionPatch,
  hrisLogEntry,
} from '@tandem/core';
import type { Context } from 'hono';
import { type AppEnv, hrisApiContext, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { shownOnce } from '../http/idempotency.ts';
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
import { publicUrl } from '../http/public-url.ts';

const tags = ['HRIS connections'];
const params = idParams({ connectionId: 'hrisConnection' });
const secretParams = params.extend({
  credentialId: z
    .string()
    .regex(/^hsec_[0-9a-f]{16}$/, 'must be a secret id (hsec_…)')
    .meta({ param: { name: 'credentialId', in: 'path' }, example: 'hsec_0123456789abcdef', maxLength: 21 }),
});

const withUrl = hrisConnection
  .extend({
    webhookUrl: z.string().max(500).meta({ description: 'Where the HR system posts its webhooks' }),
  })
  .meta({ id: 'HrisConnectionWithUrl' });

const withSecret = withUrl
  .extend({
    secret: shownOnce(
      'The secret Tandem generated (a `whsec_` key for standard, a token for personio); null when you sent the provider’s key.',
    ),
  })
  .meta({ id: 'HrisConnectionWithSecret' });

const secretInput = z
  .strictObject({
    secret: z.string().min(8).max(500).optional().meta({
      description:
        'The new key the provider issued; leave out where Tandem issues the secret (standard, personio)',
      writeOnly: true,
    }),
  })
  .meta({ id: 'HrisSecretInput' });

const urlOf = (c: Context<AppEnv>, connection: HrisConnection) => ({
  ...connection,
  webhookUrl: publicUrl(c, `/v1/hris/${connection.id}/webhooks`),
});

export function registerHrisConnectionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/hris-connections',
      operationId: 'createHrisConnection',
      description:
        "Connects an HR system: its webhooks, posted to the connection's webhookUrl and verified with the connection's secret, keep people in sync. Send the signing key the provider issued (bamboohr, hibob, merge, finch; gusto's is adopted from its verification request when left out); for standard, personio, rippling and workday Tandem generates the secret (a token), shown in this response only. With `apiCredentials` (write-only, never returned) Tandem fetches the employees of thin webhooks through the provider's API and reconciles on a schedule. Needs the `admin` scope.",
      tags,
      summary: 'Connect an HR system (a generated secret is shown once)',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(hrisConnectionInput) },
      responses: { 201: jsonResponse(withSecret, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const { connection, secret } = await createHrisConnection(hrisApiContext(c), c.req.valid('json'));
      c.header('location', `/v1/hris-connections/${connection.id}`);
      c.header('etag', etagOf(connection.version));
      return c.json({ ...urlOf(c, connection), secret }, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/hris-connections',
      operationId: 'listHrisConnections',
      description: 'Lists HRIS connections, without their secrets. Needs the `admin` scope.',
      tags,
      summary: 'List HRIS connections',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(withUrl, 'HrisConnectionPage'), 'A page of connections'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const page = await c.get('store').hrisConnections.list(c.req.valid('query'));
      return c.json({ ...page, items: page.items.map((item) => urlOf(c, item)) }, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/hris-connections/{connectionId}',
      operationId: 'getHrisConnection',
      description:
        'Returns one HRIS connection with its webhook URL, without its secrets. Needs the `admin` scope.',
      tags,
      summary: 'Get an HRIS connection',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: {
        200: jsonResponse(withUrl, 'The connection'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await c.get('store').hrisConnections.get(c.req.valid('param').connectionId);
      c.header('etag', etagOf(value.version));
      return c.json(urlOf(c, value), 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/hris-connections/{connectionId}',
      operationId: 'updateHrisConnection',
      description:
        'Applies a JSON Merge Patch: rename, pause (webhooks answer 503, so the provider retries them later) or resume, change the field mapping or the API settings, or replace (`apiCredentials`, write-only) or remove (`null`) the API credentials. Needs the `admin` scope.',
      tags,
      summary: 'Rename, pause or resume an HRIS connection, or change its field mapping',
      middleware: [requireScope('admin')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(hrisConnectionPatch) },
      responses: {
        200: jsonResponse(withUrl, 'The updated connection'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const next = await updateHrisConnection(
        hrisApiContext(c),
        c.req.valid('param').connectionId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(urlOf(c, next), 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/hris-connections/{connectionId}',
      operationId: 'deleteHrisConnection',
      description:
        'Removes an HRIS connection: its webhook URL answers 404 from now on; the people it synced stay. Needs the `admin` scope.',
      tags,
      summary: 'Remove an HRIS connection',
      middleware: [requireScope('admin')] as const,
      request: { params, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      await deleteHrisConnection(tenantContext(c), c.req.valid('param').connectionId, preconditionOf(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/hris-connections/{connectionId}/secrets',
      operationId: 'addHrisSecret',
      description:
        'Adds a secret for a rotation (at most 3): deliveries verify with any secret of the connection until the old one is removed. A generated secret is shown in this response only. Needs the `admin` scope.',
      tags,
      summary: 'Add a secret to rotate to (a generated one is shown once)',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: { params, headers: ifMatchHeaders.extend(idempotencyHeaders.shape), ...jsonBody(secretInput) },
      responses: {
        200: jsonResponse(withSecret, 'The connection and its new secret'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { connection, secret } = await addHrisSecret(
        tenantContext(c),
        c.req.valid('param').connectionId,
        c.req.valid('json').secret,
        preconditionOf(c),
      );
      c.header('etag', etagOf(connection.version));
      return c.json({ ...urlOf(c, connection), secret }, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/hris-connections/{connectionId}/secrets/{credentialId}',
      operationId: 'removeHrisSecret',
      description:
        'Removes a secret at the end of a rotation: deliveries signed with it are refused (401) from now on. Needs the `admin` scope.',
      tags,
      summary: 'Remove a secret of an HRIS connection',
      middleware: [requireScope('admin')] as const,
      request: { params: secretParams, headers: ifMatchHeaders },
      responses: { 204: { description: 'Removed' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      const { connectionId, credentialId } = c.req.valid('param');
      const next = await removeHrisSecret(tenantContext(c), connectionId, credentialId, preconditionOf(c));
      c.header('etag', etagOf(next.version));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/hris-connections/{connectionId}/events',
      operationId: 'listHrisEvents',
      description:
        "A connection's event log, newest first: each delivery received (accepted, duplicate, handshake, ignored or rejected, with the reason) and each employee change applied or skipped (with the reason). Bodies and secrets are never logged. Needs the `admin` scope.",
      tags,
      summary: "An HRIS connection's event log, newest first",
      middleware: [requireScope('admin')] as const,
      request: { params, query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(hrisLogEntry, 'HrisLogPage'), 'A page of log entries'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const page = await connectionLog(
        tenantContext(c),
        c.req.valid('param').connectionId,
        c.req.valid('query'),
      );
      return c.json(page, 200);
    },
  );
}
