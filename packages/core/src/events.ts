import * as z from 'zod';
import type { EventData } from './event-catalog.ts';
import { idSchema } from './id-schema.ts';
import { newId } from './ids.ts';

/**
 * Every event type, in the order the catalog (event-catalog.ts) documents them. A list of its
 * own, checked against the catalog by the compiler, so that what only needs the names (the
 * outbox's schema, endpoint filters) loads no payload schema.
 */
const names = [
  'tenant.created',
  'tenant.updated',
  'api_key.created',
  'api_key.revoked',
  'person.created',
  'person.updated',
  'program.created',
  'program.updated',
  'program.status_changed',
  'program.deleted',
  'enrollment.created',
  'enrollment.updated',
  'enrollment.withdrawn',
  'match_run.started',
  'match_run.awaiting_review',
  'match_run.failed',
  'match_run.cancelled',
  'match.published',
  'relationship.started',
  'relationship.completed',
  'relationship.dissolved',
  'resource.created',
  'resource.updated',
  'resource.archived',
  'training.completed',
  'training.quiz_failed',
  'reflection.written',
  'rematch.requested',
  'rematch.resolved',
  'post.created',
  'post.updated',
  'post.deleted',
  'post.replied',
  'post.reply_deleted',
  'post.hidden',
  'post.unhidden',
  'relationship.activated',
  'agreement.updated',
  'agreement.accepted',
  'milestone.reached',
  'goal.created',
  'goal.updated',
  'meeting.scheduled',
  'meeting.rescheduled',
  'meeting.logged',
  'meeting.upcoming',
  'feedback.submitted',
  'calendar_feed.created',
  'calendar_feed.revoked',
  'identity_provider.created',
  'identity_provider.updated',
  'identity_provider.deleted',
  'scim_token.issued',
  'scim_token.revoked',
  'scim_group.created',
  'scim_group.updated',
  'scim_group.deleted',
  'relationship.at_risk',
  'relationship.recovered',
  'meeting.overdue',
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.disabled',
  'person.erased',
  'kudos.given',
  'kudos.deleted',
  'recognition_settings.updated',
  'milestone_rule.created',
  'milestone_rule.deleted',
  'milestone.earned',
  'survey.created',
  'survey.updated',
  'survey.due',
  'survey.answered',
  'survey.expired',
  'hris_connection.created',
  'hris_connection.updated',
  'hris_connection.deleted',
  'people_source.updated',
  'award_type.created',
  'nomination.created',
  'nomination.approved',
  'nomination.rejected',
  'recognition.awarded',
] as const;

export type EventType = (typeof names)[number];
export const eventTypes: EventType[] = [...names];

/** The ping `POST /v1/webhook-endpoints/{id}/test` sends; never stored in the outbox. */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * A domain event as it is written to the outbox, in the same transaction as the change it
 * describes.
 */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: string;
  tenantId: string;
  data: EventData<T>;
}

/**
 * What a use case says happened: the type and its payload. The repository that writes the change
 * stamps it (id, tenant, time from the store's clock) into a DomainEvent in the same transaction,
 * so the tenant and the clock never travel by hand beside the store that already holds them.
 */
export interface EventDraft<T extends EventType = EventType> {
  type: T;
  data: EventData<T>;
}

export function domainEvent<T extends EventType>(type: T, data: EventData<T>): EventDraft<T> {
  return { type, data };
}

/** Turns a draft into the outbox event of one tenant at one time. */
export function stampEvent<T extends EventType>(
  draft: EventDraft<T>,
  tenantId: string,
  now: Date,
): DomainEvent<T> {
  return { id: newId('event'), type: draft.type, occurredAt: now.toISOString(), tenantId, data: draft.data };
}

export const domainEventSchema = z
  .object({
    id: idSchema('event'),
    type: z.enum(eventTypes as [EventType, ...EventType[]]),
    occurredAt: z.iso.datetime({ offset: true }),
    tenantId: idSchema('tenant'),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'StoredEvent' });
export type StoredEvent = z.infer<typeof domainEventSchema>;

/**
 * The envelope subscribers receive (webhooks and `GET /v1/events`): stable field names,
 * independent of how the outbox stores events. Its schema per type is `envelopeSchemaFor`.
 */
export interface EventEnvelope {
  id: string;
  type: string;
  timestamp: string;
  tenantId: string;
  data: Record<string, unknown>;
}

export const toEnvelope = (event: DomainEvent | StoredEvent): EventEnvelope => ({
  id: event.id,
  type: event.type,
  timestamp: event.occurredAt,
  tenantId: event.tenantId,
  data: event.data as Record<string, unknown>,
});

/** `*`, an exact type, or a category wildcard such as `enrollment.*`. */
export function matchesEventFilter(filters: readonly string[], type: string): boolean {
  return filters.some(
    (filter) =>
      filter === '*' || filter === type || (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );
}
