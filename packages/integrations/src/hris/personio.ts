import { hashSecret } from '@tandem/core';
import {
  type HrisProviderModule,
  ignored,
  isRecord,
  parseInstant,
  parseJson,
  sameBytes,
  textOf,
  thin,
} from './common.ts';

/**
 * Personio signs nothing: it sends a static token in `Authorization`, exactly as configured, so
 * Tandem issues one per connection (kept as its hash) and compares in constant time, with or
 * without the `Bearer ` the admin may have written in front of it. Notifications carry ids only;
 * `employment.terminated` and `employment.started` fire on their effective date, so they apply as is.
 */
export const personio: HrisProviderModule = {
  verify(delivery, secrets) {
    const header = delivery.headers.authorization?.trim();
    if (!header) return { ok: false, reason: 'missing Authorization' };
    const presented = Buffer.from(hashSecret(header.replace(/^Bearer\s+/i, '')), 'hex');
    const matches = secrets.some(
      (s) => s.hash !== undefined && sameBytes(presented, Buffer.from(s.hash, 'hex')),
    );
    return matches ? { ok: true } : { ok: false, reason: 'the token is not one of the connection' };
  },
  read(delivery) {
    const body = parseJson(delivery.body);
    if (!isRecord(body) || typeof body.event_name !== 'string') return ignored('not a Personio event');
    const type = body.event_name;
    if (type !== 'employment.terminated' && type !== 'employment.started')
      return type.startsWith('person.') || type.startsWith('employment.')
        ? thin(type, isRecord(body.payload) ? textOf(body.payload.person_id) : undefined)
        : ignored('event type Tandem does not handle', type);
    const payload = isRecord(body.payload) ? body.payload : {};
    const externalId = textOf(payload.person_id);
    const occurred = parseInstant(textOf(body.occurred_at));
    if (!externalId || !occurred) return ignored('no payload.person_id or occurred_at', type);
    return {
      kind: 'changes',
      eventType: type,
      changes: [
        {
          snapshot: { externalId, employment: type === 'employment.terminated' ? 'terminated' : 'active' },
          sourceUpdatedAt: occurred.toISOString(),
        },
      ],
    };
  },
};
