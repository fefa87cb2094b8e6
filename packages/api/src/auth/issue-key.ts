import { z } from '@hono/zod-openapi';
import { apiKey } from '@tandem/core';

export const apiKeyWithSecret = apiKey
  .extend({ secret: z.string().meta({ description: 'The API key. Shown once: store it now.' }) })
  .meta({ id: 'ApiKeyWithSecret' });
