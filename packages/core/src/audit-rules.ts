import { encodeTime, monotonicFactory, ulid } from 'ulid';
import type { TenantTier } from './tiers.ts';

// The audit trail's rules without its schemas (audit.ts): every function that writes through the
// store stamps entries with these, and most never read an entry back.

/**
 * How long audit entries stay readable per tier before TTL removes them. System writes and
 * operator writes follow the tenant's tier like any other.
 */
export const auditRetentionDays: Record<TenantTier, number> = {
  free: 90,
  standard: 365,
  enterprise: 2555,
};

export const auditActorKinds = ['api_key', 'participant', 'operator', 'scim_token', 'system'] as const;
export const auditOutcomes = ['succeeded', 'refused'] as const;
export const auditActions = ['created', 'updated', 'deleted'] as const;

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
