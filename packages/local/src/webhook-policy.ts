import { type DeliveryPolicy, defaultDeliveryPolicy } from '@tandem/webhooks';
import * as z from 'zod';

const milliseconds = z.coerce.number().int().min(0);

const overrides = z.object({
  TANDEM_WEBHOOK_RETRY_DELAYS_MS: z
    .string()
    .transform((list) => list.split(',').map((part) => milliseconds.parse(part.trim())))
    .optional(),
  TANDEM_WEBHOOK_LEASE_MS: milliseconds.optional(),
});

/**
 * Local deliveries may go to http and loopback receivers (your laptop's webhook tester), and
 * the retry schedule and lease can be shortened to watch retries happen without waiting hours.
 */
export function localDeliveryPolicy(env: Record<string, string | undefined>): DeliveryPolicy {
  const parsed = overrides.parse(env);
  return {
    ...defaultDeliveryPolicy,
    allowInsecureUrls: true,
    ...(parsed.TANDEM_WEBHOOK_RETRY_DELAYS_MS
      ? { retryDelaysMs: parsed.TANDEM_WEBHOOK_RETRY_DELAYS_MS }
      : {}),
    ...(parsed.TANDEM_WEBHOOK_LEASE_MS !== undefined ? { leaseMs: parsed.TANDEM_WEBHOOK_LEASE_MS } : {}),
  };
}
