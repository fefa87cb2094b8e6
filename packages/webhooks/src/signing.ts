import type { EndpointSecrets } from '@tandem/store';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks headers. During a secret rotation overlap the signature header carries
 * one signature per secret (space-separated), so receivers verify with either.
 */
export function signedHeaders(
  secrets: EndpointSecrets,
  messageId: string,
  timestamp: Date,
  body: string,
  now: Date,
) {
  const active = [secrets.current];
  if (secrets.previous && secrets.previousExpiresAt && Date.parse(secrets.previousExpiresAt) > now.getTime())
    active.push(secrets.previous);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': active
      .map((secret) => new Webhook(secret).sign(messageId, timestamp, body))
      .join(' '),
  };
}
