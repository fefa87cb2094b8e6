import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createEndpoint,
  deleteEndpoint,
  getRecovery,
  listDeliveries,
  recoverDeliveries,
  redeliver,
  rotateEndpointSecret,
  sendTestPing,
  updateEndpoint,
} from '@tandem/app';
import {
  delivery,
  deliveryStatuses,
  recovery,
  secretRotation,
  webhookEndpoint,
  webhookEndpointInput,
  webhookEndpointPatch,
} from '@tandem/core';
import { type AppEnv, tenantContext } from '../env.ts';
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

const tags = ['Webhooks'];
const params = idParams({ endpointId: 'webhookEndpoint' });
const deliveryParams = idParams({ endpointId: 'webhookEndpoint', deliveryId: 'delivery' });

const withSecret = webhookEndpoint
  .extend({
    secret: shownOnce('The signing secret (whsec_…).'),
  })
  .meta({ id: 'WebhookEndpointWithSecret' });

const recoveryRequest = z
  .strictObject({
    since: z.iso
      .datetime({ offset: true })
      .meta({ description: 'Re-send every matching event after this time', maxLength: 35 }),
  })
  .meta({ id: 'WebhookRecovery' });

export function registerWebhookEndpointRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/webhook-endpoints',
      operationId: 'createWebhookEndpoint',
      description:
        "Registers a URL that receives your organization's events as signed POSTs (Standard Webhooks). The signing secret is in this response only. Needs the `admin` scope.",
      tags,
      summary: 'Register an endpoint for signed event deliveries (the secret is shown once)',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(webhookEndpointInput) },
      responses: { 201: jsonResponse(withSecret, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const created = await createEndpoint(tenantContext(c), c.req.valid('json'));
      c.header('location', `/v1/webhook-endpoints/${created.id}`);
      c.header('etag', etagOf(created.version));
      return c.json(created, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/webhook-endpoints',
      operationId: 'listWebhookEndpoints',
      description: 'Lists webhook endpoints without their secrets. Needs the `admin` scope.',
      tags,
      summary: 'List webhook endpoints',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject(listQueryFields) },
      responses: {
        200: jsonResponse(pageOf(webhookEndpoint, 'WebhookEndpointPage'), 'A page of endpoints'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await c.get('store').webhookEndpoints.list(c.req.valid('query')), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/webhook-endpoints/{endpointId}',
      operationId: 'getWebhookEndpoint',
      description: 'Returns one webhook endpoint without its secret. Needs the `admin` scope.',
      tags,
      summary: 'Get a webhook endpoint',
      middleware: [requireScope('admin')] as const,
      request: { params },
      responses: {
        200: jsonResponse(webhookEndpoint, 'The endpoint'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const value = await c.get('store').webhookEndpoints.get(c.req.valid('param').endpointId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/webhook-endpoints/{endpointId}',
      operationId: 'updateWebhookEndpoint',
      description:
        'Applies a JSON Merge Patch: change the URL, description or event types, or disable and re-enable the endpoint (re-enabling clears the reason Tandem disabled it). Needs the `admin` scope.',
      tags,
      summary: 'Change the URL, description or event types, or disable / re-enable an endpoint',
      middleware: [requireScope('admin')] as const,
      request: { params, headers: ifMatchHeaders, ...jsonBody(webhookEndpointPatch) },
      responses: {
        200: jsonResponse(webhookEndpoint, 'The updated endpoint'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const next = await updateEndpoint(tenantContext(c), endpointId, c.req.valid('json'), preconditionOf(c));
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/webhook-endpoints/{endpointId}',
      operationId: 'deleteWebhookEndpoint',
      description: 'Deletes a webhook endpoint; pending deliveries to it stop. Needs the `admin` scope.',
      tags,
      summary: 'Delete a webhook endpoint (pending deliveries to it stop)',
      middleware: [requireScope('admin')] as const,
      request: { params, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      await deleteEndpoint(tenantContext(c), c.req.valid('param').endpointId, preconditionOf(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/webhook-endpoints/{endpointId}/rotate-secret',
      operationId: 'rotateWebhookSecret',
      description:
        'Issues a new signing secret, shown once. During the overlap deliveries carry signatures with both secrets, so receivers can switch without losing any. Needs the `admin` scope.',
      tags,
      summary: 'Issue a new signing secret; both are used to sign during the overlap window',
      middleware: [requireScope('admin'), idempotency({ secrets: ['secret'] })] as const,
      request: {
        params,
        headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
        ...jsonBody(secretRotation),
      },
      responses: {
        200: jsonResponse(withSecret, 'The endpoint with its new secret'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const rotated = await rotateEndpointSecret(
        tenantContext(c),
        endpointId,
        c.req.valid('json').overlapSeconds,
        preconditionOf(c),
      );
      c.header('etag', etagOf(rotated.version));
      return c.json(rotated, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/webhook-endpoints/{endpointId}/test',
      operationId: 'testWebhookEndpoint',
      description:
        'Queues a signed `webhook.test` delivery to the endpoint now and returns the delivery; a failed attempt is retried like any delivery. Needs the `admin` scope.',
      tags,
      summary: 'Send a signed webhook.test ping to this endpoint now; failures are retried like any delivery',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders },
      responses: {
        200: jsonResponse(delivery, 'The delivery with its first attempt'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => c.json(await sendTestPing(tenantContext(c), c.req.valid('param').endpointId), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/webhook-endpoints/{endpointId}/deliveries',
      operationId: 'listDeliveries',
      description:
        "Lists an endpoint's deliveries, newest first, with their attempts: status codes, durations and the start of each response body. Needs the `admin` scope.",
      tags,
      summary: "An endpoint's delivery log, newest first: attempts, status codes, durations, response bodies",
      middleware: [requireScope('admin')] as const,
      request: {
        params,
        query: z.strictObject({ ...listQueryFields, status: z.enum(deliveryStatuses).optional() }),
      },
      responses: {
        200: jsonResponse(pageOf(delivery, 'DeliveryPage'), 'A page of deliveries'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const { limit, cursor, status } = c.req.valid('query');
      return c.json(await listDeliveries(tenantContext(c), endpointId, { status }, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}',
      operationId: 'getDelivery',
      description: 'Returns one delivery with all its attempts. Needs the `admin` scope.',
      tags,
      summary: 'One delivery with all its attempts',
      middleware: [requireScope('admin')] as const,
      request: { params: deliveryParams },
      responses: { 200: jsonResponse(delivery, 'The delivery'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const { endpointId, deliveryId } = c.req.valid('param');
      return c.json(await c.get('store').deliveries.get(endpointId, deliveryId), 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver',
      operationId: 'redeliverDelivery',
      description:
        'Sends a delivery again as a new retry cycle with the same `webhook-id`, so receivers can deduplicate. Needs the `admin` scope.',
      tags,
      summary: 'Send a delivery again (a new retry cycle, same webhook-id)',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params: deliveryParams, headers: idempotencyHeaders },
      responses: { 202: jsonResponse(delivery, 'Queued'), ...problemResponses(...commonProblems, 404, 409) },
    }),
    async (c) => {
      const { endpointId, deliveryId } = c.req.valid('param');
      return c.json(await redeliver(tenantContext(c), endpointId, deliveryId), 202);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/webhook-endpoints/{endpointId}/recover',
      operationId: 'recoverWebhookEndpoint',
      description:
        'Starts re-sending every event since a time (events are kept 30 days) that the endpoint subscribes to, for a receiver that lost data. The work runs in the background, a page of events at a time; the answer is the recovery, whose `Location` shows its progress. Needs the `admin` scope.',
      tags,
      summary:
        'Re-send every event since a time that this endpoint subscribes to (events are kept 30 days), in the background',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(recoveryRequest) },
      responses: {
        202: jsonResponse(recovery, 'Started: poll the recovery (Location) for its progress'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const started = await recoverDeliveries(tenantContext(c), endpointId, c.req.valid('json').since);
      c.header('location', `/v1/webhook-endpoints/${endpointId}/recoveries/${started.id}`);
      return c.json(started, 202);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/webhook-endpoints/{endpointId}/recoveries/{recoveryId}',
      operationId: 'getWebhookRecovery',
      description:
        'A recovery started by `POST …/recover`: `running` or `completed`, and how many deliveries it has queued so far. Needs the `admin` scope.',
      tags,
      summary: 'A recovery: running or completed, and how many deliveries it queued so far',
      middleware: [requireScope('admin')] as const,
      request: { params: idParams({ endpointId: 'webhookEndpoint', recoveryId: 'recovery' }) },
      responses: { 200: jsonResponse(recovery, 'The recovery'), ...problemResponses(...commonProblems, 404) },
    }),
    async (c) => {
      const { endpointId, recoveryId } = c.req.valid('param');
      return c.json(await getRecovery(tenantContext(c), endpointId, recoveryId), 200);
    },
  );
}
