import { randomBytes } from 'node:crypto';
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  delivery,
  deliveryStatuses,
  domainEvent,
  matchesEventFilter,
  newId,
  pendingDelivery,
  secretRotation,
  TEST_EVENT_TYPE,
  toEnvelope,
  type WebhookEndpoint,
  webhookEndpoint,
  webhookEndpointInput,
  webhookEndpointPatch,
} from '@tandem/core';
import { checkTarget, processJob } from '@tandem/webhooks';
import type { Context } from 'hono';
import { type AppEnv, nowOf } from '../env.ts';
import { assertIfMatch, etagOf, readModifyWrite } from '../http/etag.ts';
import { mergePatchUpdate } from '../http/merge-patch.ts';
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
    secret: z.string().meta({ description: 'The signing secret (whsec_…). Shown once: store it now.' }),
  })
  .meta({ id: 'WebhookEndpointWithSecret' });

const recovery = z
  .strictObject({
    since: z.iso
      .datetime({ offset: true })
      .meta({ description: 'Re-send every matching event after this time', maxLength: 35 }),
  })
  .meta({ id: 'WebhookRecovery' });

/** Standard Webhooks secrets: `whsec_` and base64 of 24 random bytes. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Registration and every change of URL go through the same SSRF guard as each attempt. */
const assertSafeUrl = (c: Context<AppEnv>, url: string) => {
  const { policy } = c.get('deps').webhooks;
  return checkTarget(url, { allowInsecure: policy.allowInsecureUrls, resolve: policy.resolveHost });
};

const eventData = (e: WebhookEndpoint) => ({ endpointId: e.id, url: e.url });

const deliveryDeps = (c: Context<AppEnv>) => ({
  storesFor: () => c.get('store'),
  queue: c.get('deps').webhooks.queue,
  policy: c.get('deps').webhooks.policy,
  now: () => nowOf(c),
});

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
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { headers: idempotencyHeaders, ...jsonBody(webhookEndpointInput) },
      responses: { 201: jsonResponse(withSecret, 'Created'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      await assertSafeUrl(c, input.url);
      const now = nowOf(c).toISOString();
      const value: WebhookEndpoint = {
        id: newId('webhookEndpoint'),
        ...input,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const secret = newSecret();
      await c
        .get('store')
        .webhookEndpoints.create(
          value,
          secret,
          domainEvent('endpoint.created', c.get('tenantId'), eventData(value)),
        );
      c.header('location', `/v1/webhook-endpoints/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json({ ...value, secret }, 201);
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
        ...problemResponses(...commonProblems, 404, 412),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const patch = c.req.valid('json');
      if (patch.url) await assertSafeUrl(c, patch.url);
      const store = c.get('store');
      const next = await mergePatchUpdate(c, patch, {
        load: () => store.webhookEndpoints.get(endpointId),
        schema: webhookEndpoint,
        // Re-enabling starts afresh: the reason and the failure streak belong to the old run.
        implied: (current) =>
          patch.enabled === true && !current.enabled ? { disabledReason: null, failingSince: null } : {},
        save: (current, updated, removed) =>
          store.webhookEndpoints.update(
            current,
            updated,
            removed,
            domainEvent('endpoint.updated', c.get('tenantId'), {
              ...eventData(updated),
              changed: Object.keys(patch),
            }),
          ),
      });
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
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 412) },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const store = c.get('store');
      await readModifyWrite(c, async () => {
        const current = await store.webhookEndpoints.get(endpointId);
        assertIfMatch(c, current);
        await store.webhookEndpoints.delete(
          current,
          domainEvent('endpoint.deleted', c.get('tenantId'), { endpointId }),
        );
      });
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
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(secretRotation) },
      responses: {
        200: jsonResponse(withSecret, 'The endpoint with its new secret'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const { overlapSeconds } = c.req.valid('json');
      const store = c.get('store');
      const now = nowOf(c);
      const { endpoint, secrets } = await store.webhookEndpoints.getWithSecrets(endpointId);
      const secret = newSecret();
      const previousSecretExpiresAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
      await store.webhookEndpoints.rotateSecret(
        endpoint,
        secrets,
        secret,
        previousSecretExpiresAt,
        now.toISOString(),
        domainEvent('endpoint.updated', c.get('tenantId'), { ...eventData(endpoint), changed: ['secret'] }),
      );
      const next = {
        ...endpoint,
        previousSecretExpiresAt,
        updatedAt: now.toISOString(),
        version: endpoint.version + 1,
      };
      c.header('etag', etagOf(next.version));
      return c.json({ ...next, secret }, 200);
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
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const store = c.get('store');
      const endpoint = await store.webhookEndpoints.get(endpointId);
      const now = nowOf(c).toISOString();
      const envelope = {
        id: newId('event'),
        type: TEST_EVENT_TYPE,
        timestamp: now,
        tenantId: c.get('tenantId'),
        data: { endpointId },
      };
      const delivery = pendingDelivery(envelope, endpoint.id, now);
      const deliveryId = delivery.id;
      await store.deliveries.createIfAbsent(delivery, envelope);
      await processJob(
        { tenantId: c.get('tenantId'), endpointId, deliveryId, attempt: 0, dueAt: now },
        deliveryDeps(c),
      );
      return c.json(await store.deliveries.get(endpointId, deliveryId), 200);
    },
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
      const store = c.get('store');
      await store.webhookEndpoints.get(endpointId);
      return c.json(await store.deliveries.list(endpointId, { status }, { limit, cursor }), 200);
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
      const store = c.get('store');
      await store.webhookEndpoints.get(endpointId);
      const now = nowOf(c);
      const attempt = await store.deliveries.restart(endpointId, deliveryId, now);
      await c.get('deps').webhooks.queue.enqueue({
        tenantId: c.get('tenantId'),
        endpointId,
        deliveryId,
        attempt,
        dueAt: now.toISOString(),
      });
      return c.json(await store.deliveries.get(endpointId, deliveryId), 202);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/webhook-endpoints/{endpointId}/recover',
      operationId: 'recoverWebhookEndpoint',
      description:
        'Queues again every event since a time (events are kept 30 days) that the endpoint subscribes to, for a receiver that lost data. Needs the `admin` scope.',
      tags,
      summary: 'Re-send every event since a time that this endpoint subscribes to (events are kept 30 days)',
      middleware: [requireScope('admin'), idempotency()] as const,
      request: { params, headers: idempotencyHeaders, ...jsonBody(recovery) },
      responses: {
        202: jsonResponse(
          z.object({ queued: z.int() }).meta({ id: 'WebhookRecoveryResult' }),
          'How many deliveries were queued',
        ),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const { since } = c.req.valid('json');
      const store = c.get('store');
      const endpoint = await store.webhookEndpoints.get(endpointId);
      const now = nowOf(c);
      let queued = 0;
      let cursor: string | undefined;
      do {
        const page = await store.events.list({ after: since }, { limit: 100, cursor });
        for (const event of page.items) {
          if (!matchesEventFilter(endpoint.eventTypes, event.type)) continue;
          const nowIso = now.toISOString();
          const delivery = pendingDelivery(event, endpointId, nowIso);
          const deliveryId = delivery.id;
          const created = await store.deliveries.createIfAbsent(delivery, toEnvelope(event));
          const attempt = created ? 0 : await store.deliveries.restart(endpointId, deliveryId, now);
          await c.get('deps').webhooks.queue.enqueue({
            tenantId: event.tenantId,
            endpointId,
            deliveryId,
            attempt,
            dueAt: nowIso,
          });
          queued++;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return c.json({ queued }, 202);
    },
  );
}
