import * as z from 'zod';
import { entityMeta, text } from './common.ts';
import { idSchema } from './id-schema.ts';

export const reflectionInput = z
  .strictObject({
    wentWell: text(2000).meta({ description: 'What went well', example: 'We always came prepared' }),
    learned: text(2000).meta({ description: 'What you learned', example: 'How to give direct feedback' }),
    wouldRecommend: z.boolean().meta({ description: 'Would you recommend the program to a colleague?' }),
    notes: text(4000).optional().meta({ description: 'Anything else, in your words' }),
    shareWithAdmins: z.boolean().default(true).meta({
      description:
        'false keeps your words (wentWell, learned, notes) between the members: admins then see only that you wrote it and wouldRecommend',
    }),
  })
  .meta({ id: 'ReflectionInput' });
export type ReflectionInput = z.infer<typeof reflectionInput>;

/** The fields admins do not see when the author keeps a reflection between the members. */
export const reflectionWords = ['wentWell', 'learned', 'notes'] as const;

/** One member's closing reflection on a relationship; written once, kept with the relationship's history. */
export const reflection = z
  .object({
    relationshipId: idSchema('relationship'),
    programId: idSchema('program'),
    personId: idSchema('person'),
    wentWell: z.string().optional().meta({ description: 'Absent for admins unless shared' }),
    learned: z.string().optional().meta({ description: 'Absent for admins unless shared' }),
    wouldRecommend: z.boolean(),
    notes: z.string().optional(),
    shareWithAdmins: z.boolean(),
    ...entityMeta,
  })
  .meta({ id: 'Reflection' });
export type Reflection = z.infer<typeof reflection>;
