import { apiKey } from '@tandem/core';
import { shownOnce } from '../http/idempotency.ts';

export const apiKeyWithSecret = apiKey
  .extend({ secret: shownOnce('The API key.') })
  .meta({ id: 'ApiKeyWithSecret' });
