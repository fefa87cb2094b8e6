import { domainEvent, newId, type WebhookEndpoint, type webhookEndpointInput } from '@tandem/core';
import type { z } from 'zod';
import type { WebhookContext } from '../context.ts';
import { assertSafeUrl, endpointEventData, newSigningSecret } from './endpoint-rules.ts';

/** Registers an endpoint; its signing secret is returned once. */
export async function createEndpoint(
  ctx: WebhookContext,
  input: z.infer<typeof webhookEndpointInput>,
): Promise<WebhookEndpoint & { secret: string }> {
  await assertSafeUrl(ctx.webhooks, input.url);
  const now = ctx.clock().toISOString();
  const value: WebhookEndpoint = {
    id: newId('webhookEndpoint'),
    ...input,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const secret = newSigningSecret();
  await ctx.store.webhookEndpoints.create(
    value,
    secret,
    domainEvent('endpoint.created', endpointEventData(value)),
  );
  return { ...value, secret };
}
