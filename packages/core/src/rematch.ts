import * as z from 'zod';
import { entityMeta, isoDateTime, text } from './common.ts';
import { ConflictError } from './errors.ts';
import { idSchema } from './id-schema.ts';

export const rematchReasons = ['mismatch', 'goals_changed', 'schedule_conflict', 'other'] as const;
export const rematchStatuses = ['open', 'resolved'] as const;
export type RematchStatus = (typeof rematchStatuses)[number];
export const rematchResolutions = ['rematched', 'declined'] as const;

export const rematchRequestInput = z
  .strictObject({
    reason: z.enum(rematchReasons).meta({
      description:
        '`mismatch` (the pairing does not work), `goals_changed`, `schedule_conflict`, or `other` (say more in `detail`)',
    }),
    detail: text(1000).optional().meta({
      description: 'In words, for the admins; the other members never see your request',
      example: 'We want to work on different skills now',
    }),
  })
  .meta({ id: 'RematchRequestInput' });
export type RematchRequestInput = z.infer<typeof rematchRequestInput>;

export const rematchResolution = z
  .strictObject({
    resolution: z.enum(rematchResolutions).meta({
      description: '`rematched` (the person has, or will get, a new match) or `declined`',
    }),
    note: text(1000)
      .optional()
      .meta({ description: 'Shown to the person who asked', example: 'Matched you with a new mentor' }),
  })
  .meta({ id: 'RematchResolution' });
export type RematchResolution = z.infer<typeof rematchResolution>;

/**
 * A member's request to be matched with someone else: it waits in the admins' queue until an admin
 * resolves it. Only the person who asked and admins read it.
 */
export const rematchRequest = z
  .object({
    id: idSchema('rematchRequest'),
    relationshipId: idSchema('relationship'),
    programId: idSchema('program'),
    personId: idSchema('person'),
    reason: z.enum(rematchReasons),
    detail: z.string().optional(),
    status: z.enum(rematchStatuses),
    resolution: z.enum(rematchResolutions).optional(),
    note: z.string().optional(),
    resolvedAt: isoDateTime.optional(),
    resolvedBy: idSchema('apiKey').optional().meta({ description: 'The API key that resolved it' }),
    ...entityMeta,
  })
  .meta({ id: 'RematchRequest' });
export type RematchRequest = z.infer<typeof rematchRequest>;

export function assertOpen(request: Pick<RematchRequest, 'id' | 'status'>) {
  if (request.status !== 'open') throw new ConflictError(`Rematch request ${request.id} is already resolved`);
}
