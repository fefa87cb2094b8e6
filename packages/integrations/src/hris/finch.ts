import {
  type HrisProviderModule,
  ignored,
  isRecord,
  parseJson,
  textOf,
  thin,
  verifyStandardScheme,
} from './common.ts';

/**
 * Finch signs like Standard Webhooks under its own header names, with a base64 secret that has
 * no `whsec_` prefix. Its data events carry only an `individual_id`: the individual is fetched.
 */
export const finch: HrisProviderModule = {
  verify: (delivery, secrets, now) =>
    verifyStandardScheme(
      delivery,
      { id: 'finch-event-id', timestamp: 'finch-timestamp', signature: 'finch-signature' },
      (secret) => Buffer.from(secret, 'base64'),
      secrets,
      now,
    ),
  eventId: (delivery) => delivery.headers['finch-event-id'],
  read(delivery) {
    const body = parseJson(delivery.body);
    if (!isRecord(body) || typeof body.event_type !== 'string') return ignored('not a Finch event');
    const type = body.event_type;
    if (!/^(directory|employment|individual)\./.test(type))
      return ignored('event type Tandem does not handle', type);
    return thin(type, isRecord(body.data) ? textOf(body.data.individual_id) : undefined);
  },
};
