import * as z from 'zod';
import { entityMeta, httpUrl, isoDateTime, text } from './common.ts';
import { eventTypes } from './events.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';

const categories = new Set(eventTypes.map((type) => type.split('.')[0]));

export const eventTypeFilter = z
  .string()
  .max(100)
  .regex(/^(?:\*|[a-z_]+\.(?:[a-z_]+|\*))$/, 'must be *, category.type or category.*')
  .refine(
    (filter) =>
      filter === '*' ||
      (eventTypes as string[]).includes(filter) ||
      (filter.endsWith('.*') && categories.has(filter.slice(0, -2))),
    'must be *, an event type (GET /v1/event-types) or a category wildcard such as enrollment.*',
  )
  .meta({ example: 'enrollment.*', enum: ['*', ...eventTypes, ...[...categories].map((c) => `${c}.*`)] });

const endpointFields = {
  url: httpUrl({
    description: 'Where events are POSTed. https only in AWS stages.',
    example: 'https://hooks.example.com/tandem',
  }),
  description: text(500).optional(),
  eventTypes: z
    .array(eventTypeFilter)
    .min(1)
    .max(50)
    .default(['*'])
    .meta({ description: 'Event types to receive: exact types, category wildcards (relationship.*) or *' }),
  enabled: z.boolean().default(true),
};

export const webhookEndpointInput = z.strictObject(endpointFields).meta({ id: 'WebhookEndpointInput' });
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInput>;
export const webhookEndpointPatch = mergePatchSchema(endpointFields).meta({ id: 'WebhookEndpointPatch' });

export const webhookEndpoint = z
  .strictObject({
    id: idSchema('webhookEndpoint'),
    ...endpointFields,
    disabledReason: z
      .string()
      .optional()
      .meta({ description: 'Why Tandem disabled the endpoint (410 Gone, or 5 days of failures)' }),
    failingSince: isoDateTime.optional().meta({ description: 'Start of the current run of failed attempts' }),
    previousSecretExpiresAt: isoDateTime
      .optional()
      .meta({ description: 'Until then deliveries carry signatures with both secrets' }),
    ...entityMeta,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const secretRotation = z
  .strictObject({
    overlapSeconds: z
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .default(24 * 3600)
      .meta({ description: 'How long deliveries are signed with both the old and the new secret' }),
  })
  .meta({ id: 'WebhookSecretRotation' });

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const deliveryAttempt = z
  .object({
    at: isoDateTime,
    statusCode: z.int().optional().meta({ description: 'Absent when no HTTP response arrived' }),
    durationMs: z.int().min(0),
    responseBody: z.string().optional().meta({ description: 'The first 1 KB of the response' }),
    error: z.string().optional(),
  })
  .meta({ id: 'DeliveryAttempt' });
export type DeliveryAttempt = z.infer<typeof deliveryAttempt>;

export const delivery = z
  .object({
    id: idSchema('delivery'),
    endpointId: idSchema('webhookEndpoint'),
    eventId: idSchema('event'),
    eventType: z.string(),
    status: z.enum(deliveryStatuses),
    attemptCount: z.int().min(0),
    nextAttemptAt: isoDateTime.optional(),
    attempts: z.array(deliveryAttempt).meta({ description: 'Most recent last (the last 20 are kept)' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Delivery' });
export type Delivery = z.infer<typeof delivery>;

export const recoveryStatuses = ['running', 'completed'] as const;

/**
 * A re-send of every event since a time to one endpoint. It runs in the background, one page of
 * events per queue job, and reports its progress here.
 */
export const recovery = z
  .object({
    id: idSchema('recovery'),
    endpointId: idSchema('webhookEndpoint'),
    since: isoDateTime,
    status: z.enum(recoveryStatuses),
    queued: z.int().min(0).meta({ description: 'Deliveries queued so far' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    completedAt: isoDateTime.optional(),
  })
  .meta({ id: 'WebhookRecoveryJob' });
export type Recovery = z.infer<typeof recovery>;

/** A delivery's id is derived from its event, so the relay can create it idempotently. */
export const deliveryIdFor = (eventId: string) => `dlv_${eventId.slice(eventId.indexOf('_') + 1)}`;

/** A new delivery of one event to one endpoint, due now. */
export function pendingDelivery(
  event: { id: string; type: string },
  endpointId: string,
  now: string,
): Delivery {
  return {
    id: deliveryIdFor(event.id),
    endpointId,
    eventId: event.id,
    eventType: event.type,
    status: 'pending',
    attemptCount: 0,
    nextAttemptAt: now,
    attempts: [],
    createdAt: now,
    updatedAt: now,
  };
}
