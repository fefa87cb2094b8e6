import { domainEvent, type WebhookEndpoint } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { endpointEventData, newSigningSecret } from './endpoint-rules.ts';

/** Issues a new signing secret; both are used to sign during the overlap window. */
export async function rotateEndpointSecret(
  ctx: TenantContext,
  endpointId: string,
  overlapSeconds: number,
): Promise<WebhookEndpoint & { secret: string }> {
  const { store } = ctx;
  const now = ctx.clock();
  const { endpoint, secrets } = await store.webhookEndpoints.getWithSecrets(endpointId);
  const secret = newSigningSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  await store.webhookEndpoints.rotateSecret(
    endpoint,
    secrets,
    secret,
    previousSecretExpiresAt,
    now.toISOString(),
    domainEvent('endpoint.updated', { ...endpointEventData(endpoint), changed: ['secret'] }),
  );
  return {
    ...endpoint,
    previousSecretExpiresAt,
    updatedAt: now.toISOString(),
    version: endpoint.version + 1,
    secret,
  };
}
