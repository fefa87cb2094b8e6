import { encodeTime, monotonicFactory, ulid } from 'ulid';
import * as z from 'zod';
import { isoDateTime } from './common.ts';
import type { tenantTiers } from './tenant.ts';

/**
 * How long audit entries stay readable per tier before TTL removes them. System writes and
 * operator writes follow the tenant's tier like any other.
 */
export const auditRetentionDays: Record<(typeof tenantTiers)[number], number> = {
  free: 90,
  standard: 365,
  enterprise: 2555,
};

export const auditActorKinds = ['api_key', 'participant', 'operator', 'scim_token', 'system'] as const;
export const auditOutcomes = ['succeeded', 'refused'] as const;
export const auditActions = ['created', 'updated', 'deleted'] as const;

/** Who acted: an API key id, a participant's person id, `operator`, or a system component's name. */
export const auditActor = z
  .strictObject({
    kind: z.enum(auditActorKinds),
    id: z.string().max(64).meta({ example: 'key_01jd5x3n7a8q9w0e1r2t3y4z5v' }),
  })
  .meta({ id: 'AuditActor' });
export type AuditActor = z.infer<typeof auditActor>;

/** What one transaction did to one item: its fields, values redacted as `auditValue` says. */
export const auditChange = z
  .strictObject({
    resourceType: z.string().max(64).meta({ example: 'person' }),
    resourceId: z.string().max(64).optional(),
    action: z.enum(auditActions),
    set: z.record(z.string(), z.unknown()).meta({
      description: 'Fields written, with their new value, or "[redacted]" where the value may be personal',
    }),
    removed: z.array(z.string()),
  })
  .meta({ id: 'AuditChange' });
export type AuditChange = z.infer<typeof auditChange>;

export const auditEntry = z
  .strictObject({
    id: z.string().max(40).meta({ example: 'aud_01jd5x3n7a8q9w0e1r2t3y4z5v' }),
    occurredAt: isoDateTime,
    actor: auditActor,
    operation: z.string().max(200).meta({
      description: 'The operationId of the request, or the system step that wrote',
      example: 'updatePerson',
    }),
    route: z.string().max(300).optional().meta({ example: 'PATCH /v1/people/{personId}' }),
    requestId: z.string().max(128).optional(),
    sourceIp: z.string().max(64).optional(),
    outcome: z.enum(auditOutcomes),
    status: z.number().int().optional().meta({ description: 'The HTTP status of a refused request' }),
    events: z.array(z.string()).meta({ description: 'Domain events the change emitted' }),
    changes: z.array(auditChange),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntry>;

export const REDACTED = '[redacted]';

const ID = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;
const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))?$/;
const TOKEN = /^[a-z][a-z0-9_.:-]{0,63}$/;
/** Fields whose values are members of a closed enum in the core schemas (status, role, …). */
const ENUM_FIELDS = new Set([
  'status',
  'role',
  'scopes',
  'tier',
  'format',
  'meetingCadence',
  'kind',
  'source',
  'reason',
  'endReason',
  'resolution',
  'trigger',
  'outcome',
  'decision',
  'algorithm',
  'level',
  'unit',
  'channels',
  'method',
  'day',
  'pairingWorking',
  'previousStatus',
  'eventTypes',
]);
/** Never a value, whatever its type: credentials and what is derived from them. */
const SECRET_FIELD = /secret|hash|token|password|credential|signature|key$/i;

/**
 * The redaction rule of audit diffs. Field names are always kept; a value is kept only when it
 * cannot be personal: booleans, numbers, null, Tandem ids, ISO dates and timestamps, and short
 * lower-case tokens in the fields the core schemas declare as enums. Everything else (names,
 * emails, free text, URLs, external ids, time zones) reads `[redacted]`, and so does any value of
 * a field named like a secret. Objects keep their member names, arrays their length.
 */
export function auditValue(field: string, value: unknown): unknown {
  if (SECRET_FIELD.test(field)) return REDACTED;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (ID.test(value) || DATE_OR_TIME.test(value)) return value;
    return ENUM_FIELDS.has(field) && TOKEN.test(value) ? value : REDACTED;
  }
  if (value instanceof Set) return auditValue(field, [...value]);
  if (Array.isArray(value)) return value.map((element) => auditValue(field, element));
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([name, member]) => [name, auditValue(name, member)]),
    );
  return REDACTED;
}

const nextUlid = monotonicFactory();
let latest = 0;

/**
 * Entry ids are ULIDs of the write's own clock, so a time range is a range of ids. Monotonic
 * within one process while the clock moves forward; an injected clock that goes back gets a plain
 * ULID of its own instant instead of one bumped past the latest.
 */
export function newAuditEntryId(at: Date): string {
  const time = at.getTime();
  if (time < latest) return `aud_${ulid(time).toLowerCase()}`;
  latest = time;
  return `aud_${nextUlid(time).toLowerCase()}`;
}

/** The smallest (`from`) or largest (`to`) entry id at an instant. */
export const auditIdBound = (at: Date, side: 'from' | 'to') =>
  `aud_${encodeTime(at.getTime(), 10).toLowerCase()}${(side === 'from' ? '0' : 'z').repeat(16)}`;
