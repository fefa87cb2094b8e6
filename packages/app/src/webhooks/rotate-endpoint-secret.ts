import { domainEvent, type WebhookEndpoint } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { endpointEventData, newSigningSecret } from './endpoint-rules.ts';

/** Issues a new signing secret; both are used to sign during the overlap window. */
export function rotateEndpointSecret(
  ctx: TenantContext,
  endpointId: string,
  overlapSeconds: number,
  precondition: Precondition,
): Promise<WebhookEndpoint & { secret: string }> {
  return readModifyWrite(precondition, () => rotate(ctx, endpointId, overlapSeconds, precondition));
}

async function rotate(
  { store, clock }: TenantContext,
  endpointId: string,
  overlapSeconds: number,
  precondition: Precondition,
): Promise<WebhookEndpoint & { secret: string }> {
  const now = clock();
  const { endpoint, secrets } = await store.webhookEndpoints.getWithSecrets(endpointId);
  assertVersion(endpoint, precondition);
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
