import { randomBytes } from 'node:crypto';
import type { WebhookEndpoint } from '@tandem/core';
import { checkTarget } from '@tandem/webhooks';
import type { WebhookPorts } from '../context.ts';

export const endpointEventData = (e: WebhookEndpoint) => ({ endpointId: e.id, url: e.url });

/** Standard Webhooks secrets: `whsec_` and base64 of 24 random bytes. */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Registration and every change of URL go through the same SSRF guard as each attempt. */
export const assertSafeUrl = ({ policy }: WebhookPorts, url: string) =>
  checkTarget(url, { allowInsecure: policy.allowInsecureUrls, resolve: policy.resolveHost });
