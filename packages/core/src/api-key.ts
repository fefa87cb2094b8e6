import * as z from 'zod';
import { isoDateTime, text } from './common.ts';
import { InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';

/**
 * `admin` can do everything in its tenant, including managing keys; `read` reads everything;
 * the write scopes add writes to one area (programs:write covers enrollments).
 */
export const scopes = ['admin', 'read', 'people:write', 'programs:write'] as const;
export type Scope = (typeof scopes)[number];

export const apiKeyInput = z
  .strictObject({
    name: text(120).meta({ example: 'HRIS sync' }),
    scopes: z
      .array(z.enum(scopes))
      .min(1)
      .max(scopes.length)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a scope')
      .meta({ uniqueItems: true }),
    expiresAt: isoDateTime.optional().meta({ description: 'The key stops working at this time' }),
  })
  .meta({ id: 'ApiKeyInput' });
export type ApiKeyInput = z.infer<typeof apiKeyInput>;

/** A key born expired could never authenticate, yet would be listed as active: refuse it. */
export function assertExpiryAhead(input: Pick<ApiKeyInput, 'expiresAt'>, now: Date) {
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now.getTime())
    throw new InvalidInputError('The key would already be expired', [
      { field: '/expiresAt', message: `must be later than now (${now.toISOString()})` },
    ]);
}

export const apiKeyRotation = z
  .strictObject({
    overlapSeconds: z
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .default(24 * 3600)
      .meta({ description: 'How long the old key keeps working next to the new one' }),
  })
  .meta({ id: 'ApiKeyRotation' });

export const apiKeyStatuses = ['active', 'revoked'] as const;

export const apiKey = z
  .strictObject({
    id: idSchema('apiKey'),
    name: z.string(),
    scopes: z.array(z.enum(scopes)),
    prefix: z.string().meta({ description: 'The first characters of the secret, to recognize it' }),
    status: z.enum(apiKeyStatuses),
    expiresAt: isoDateTime.optional(),
    revokedAt: isoDateTime.optional(),
    rotatedTo: idSchema('apiKey').optional().meta({ description: 'The key that replaced this one' }),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime.optional(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKey>;
