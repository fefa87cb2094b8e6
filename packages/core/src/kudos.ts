import * as z from 'zod';
import { entityMeta, isoDateTime, skillName, text } from './common.ts';
import { InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';

/**
 * Who reads a kudos: everyone in the organization, the participants enrolled in its program, or
 * only its recipient (its sender and the admins always do).
 */
export const kudosVisibilities = ['organization', 'program', 'recipient'] as const;
export type KudosVisibility = (typeof kudosVisibilities)[number];

export const kudosInput = z
  .strictObject({
    recipientId: idSchema('person').meta({ description: 'Who is thanked; never the sender' }),
    message: text(2000).meta({ example: 'Thanks for walking me through the quarterly plan!' }),
    skill: skillName.optional().meta({ description: 'The skill the kudos recognizes' }),
    visibility: z.enum(kudosVisibilities).default('organization'),
    programId: idSchema('program').optional().meta({
      description:
        'The program it belongs to (needed for `program` visibility); taken from the relationship when one is linked',
    }),
    relationshipId: idSchema('relationship')
      .optional()
      .meta({ description: 'A relationship of the sender the kudos is about' }),
    meetingId: idSchema('meeting')
      .optional()
      .meta({ description: 'A meeting of that relationship (needs `relationshipId`)' }),
    senderId: idSchema('person').optional().meta({
      description:
        'Admins send on behalf of this person (required with an API key); participants always send as themselves',
    }),
  })
  .meta({ id: 'KudosInput' });
export type KudosInput = z.infer<typeof kudosInput>;

export const kudos = z
  .object({
    id: idSchema('kudos'),
    senderId: idSchema('person'),
    recipientId: idSchema('person'),
    message: z.string(),
    skill: z.string().optional(),
    visibility: z.enum(kudosVisibilities),
    programId: idSchema('program').optional(),
    relationshipId: idSchema('relationship').optional(),
    meetingId: idSchema('meeting').optional(),
    sentByAdmin: z.boolean().meta({ description: 'An admin sent it on the sender’s behalf' }),
    ...entityMeta,
  })
  .meta({ id: 'Kudos' });
export type Kudos = z.infer<typeof kudos>;

/**
 * The recognition feed's entries, newest first. Each kind carries its own payload under its own
 * name, so clients switch on `kind` and kinds are added without changing the ones there are.
 */
export const kudosFeedEntry = z
  .object({ kind: z.literal('kudos'), occurredAt: isoDateTime, kudos })
  .meta({ id: 'KudosFeedEntry' });
export const feedEntry = z.discriminatedUnion('kind', [kudosFeedEntry]).meta({ id: 'FeedEntry' });
export type FeedEntry = z.infer<typeof feedEntry>;

/** What the feed index needs to decide, without reading the entry, who may see it. */
export interface FeedAudience {
  visibility: KudosVisibility;
  programId?: string | undefined;
  /** People who always see it (a kudos' sender and recipient). */
  personIds: string[];
}

export const DEFAULT_KUDOS_PER_DAY = 10;

export const recognitionSettingsInput = z
  .strictObject({
    kudosPerSenderPerDay: z
      .int()
      .min(1)
      .max(1000)
      .meta({
        description: `How many kudos one person may send per UTC day (default ${DEFAULT_KUDOS_PER_DAY})`,
        example: 10,
      }),
  })
  .meta({ id: 'RecognitionSettingsInput' });
export type RecognitionSettingsInput = z.infer<typeof recognitionSettingsInput>;

export const recognitionSettings = z
  .object({
    ...recognitionSettingsInput.shape,
    version: z.int().min(0).meta({ description: '0 while the organization uses the defaults' }),
    updatedAt: isoDateTime.optional(),
  })
  .meta({ id: 'RecognitionSettings' });
export type RecognitionSettings = z.infer<typeof recognitionSettings>;

export const defaultRecognitionSettings = (): RecognitionSettings => ({
  kudosPerSenderPerDay: DEFAULT_KUDOS_PER_DAY,
  version: 0,
});

/** The UTC day a send counts against, and the instant that day's allowance renews. */
export function kudosDay(now: Date): { day: string; renewsAt: Date } {
  const day = now.toISOString().slice(0, 10);
  const renewsAt = new Date(`${day}T00:00:00.000Z`);
  renewsAt.setUTCDate(renewsAt.getUTCDate() + 1);
  return { day, renewsAt };
}

/** Thanking oneself is not recognition. */
export function assertNotSelf(senderId: string, recipientId: string): void {
  if (senderId === recipientId)
    throw new InvalidInputError('Kudos go to someone else', [
      { field: '/recipientId', message: 'is the sender: kudos to oneself are refused' },
    ]);
}

/** Who may read a kudos, given who the reader is and which programs they take part in. */
export function canSeeKudos(
  value: Pick<Kudos, 'visibility' | 'programId' | 'senderId' | 'recipientId'>,
  personId: string,
  programIds: ReadonlySet<string>,
): boolean {
  if (value.senderId === personId || value.recipientId === personId) return true;
  if (value.visibility === 'organization') return true;
  return value.visibility === 'program' && value.programId !== undefined && programIds.has(value.programId);
}
