import { anyKeySigns, type HrisProviderModule, hmac, ignored, isRecord, parseJson, thin } from './common.ts';

/**
 * Gusto: lowercase hex HMAC-SHA256 of the body in `X-Gusto-Signature`, keyed with the
 * subscription's verification token, which Gusto first POSTs alone to the URL. The signature
 * has no timestamp, so the body's `uuid` deduplicates. Events name the employee only; the two
 * that take effect (`terminated_effective`, `rehire_effective`) say enough to apply by themselves.
 */
export const gusto: HrisProviderModule = {
  handshake(delivery) {
    const body = parseJson(delivery.body);
    if (isRecord(body) && typeof body.verification_token === 'string' && Object.keys(body).length === 1)
      return { reason: 'Gusto verification token', signingKey: body.verification_token };
    return undefined;
  },
  verify(delivery, secrets) {
    const signature = delivery.headers['x-gusto-signature'];
    if (!signature || !/^[0-9a-fA-F]+$/.test(signature))
      return { ok: false, reason: 'missing or non-hex X-Gusto-Signature' };
    const signs = anyKeySigns(secrets, [Buffer.from(signature.toLowerCase(), 'hex')], (key) =>
      hmac('sha256', key, delivery.body),
    );
    return signs ? { ok: true } : { ok: false, reason: 'no secret of the connection makes this signature' };
  },
  eventId(delivery) {
    const body = parseJson(delivery.body);
    return isRecord(body) && typeof body.uuid === 'string' ? body.uuid : undefined;
  },
  read(delivery) {
    const body = parseJson(delivery.body);
    if (!isRecord(body) || typeof body.event_type !== 'string') return ignored('not a Gusto event');
    const type = body.event_type;
    if (
      body.entity_type !== 'Employee' ||
      typeof body.entity_uuid !== 'string' ||
      typeof body.timestamp !== 'number'
    )
      return type.startsWith('employee.')
        ? ignored('employee event without entity_uuid or timestamp', type)
        : ignored('event type Tandem does not handle', type);
    const at = new Date(body.timestamp * 1000);
    if (type === 'employee.terminated_effective' || type === 'employee.rehire_effective')
      return {
        kind: 'changes',
        eventType: type,
        changes: [
          {
            snapshot: {
              externalId: body.entity_uuid,
              employment: type === 'employee.terminated_effective' ? 'terminated' : 'active',
            },
            sourceUpdatedAt: at.toISOString(),
          },
        ],
      };
    if (type === 'employee.terminated' || type === 'employee.rehired')
      return ignored(
        `applied when Gusto sends ${type === 'employee.terminated' ? 'terminated_effective' : 'rehire_effective'}`,
        type,
      );
    return type.startsWith('employee.')
      ? thin(type, body.entity_uuid)
      : ignored('event type Tandem does not handle', type);
  },
};
