import { z } from 'zod';
import { idSchema, newId } from './ids.ts';

/**
 * A domain event as it is written to the outbox, in the same transaction as the change it
 * describes. Payloads are thin: ids plus the fields a subscriber needs to act.
 */
export interface DomainEvent<T extends string = string> {
  id: string;
  type: T;
  occurredAt: string;
  tenantId: string;
  data: Record<string, unknown>;
}

export const eventTypes = [
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
] as const;

export type EventType = (typeof eventTypes)[number];

export function domainEvent(
  type: EventType,
  tenantId: string,
  data: Record<string, unknown>,
  now: Date = new Date(),
): DomainEvent<EventType> {
  return { id: newId('event'), type, occurredAt: now.toISOString(), tenantId, data };
}

export const domainEventSchema = z
  .object({
    id: idSchema('event'),
    type: z.enum(eventTypes),
    occurredAt: z.iso.datetime({ offset: true }),
    tenantId: idSchema('tenant'),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Event' });
