import { domainEvent, type WebhookEndpoint, webhookEndpoint, type webhookEndpointPatch } from '@tandem/core';
import type { z } from 'zod';
import type { WebhookContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { assertSafeUrl, endpointEventData } from './endpoint-rules.ts';

/** Change the URL, description or event types, or disable / re-enable an endpoint. */
export async function updateEndpoint(
  ctx: WebhookContext,
  endpointId: string,
  patch: z.infer<typeof webhookEndpointPatch>,
  precondition: Precondition,
): Promise<WebhookEndpoint> {
  if (patch.url) await assertSafeUrl(ctx.webhooks, patch.url);
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.webhookEndpoints.get(endpointId),
    schema: webhookEndpoint,
    // Re-enabling starts afresh: the reason and the failure streak belong to the old run.
    implied: (current) =>
      patch.enabled === true && !current.enabled ? { disabledReason: null, failingSince: null } : {},
    save: (current, updated, removed) =>
      store.webhookEndpoints.update(
        current,
        updated,
        removed,
        domainEvent('endpoint.updated', { ...endpointEventData(updated), changed: Object.keys(patch) }),
      ),
  });
}
