import * as z from 'zod';
import { entityMeta, isoDateTime, text } from './common.ts';
import { idSchema } from './id-schema.ts';

export const pairingAnswers = ['yes', 'somewhat', 'no'] as const;

export const feedbackInput = z
  .strictObject({
    rating: z
      .int()
      .min(1)
      .max(5)
      .meta({ description: 'How useful the meeting was: 1 (not at all) … 5 (very)' }),
    comment: text(2000).optional(),
    pairingWorking: z
      .enum(pairingAnswers)
      .optional()
      .meta({ description: 'Is this pairing working for you?' }),
    shareCommentWithAdmins: z.boolean().default(false).meta({
      description:
        "Whether the program's admins may read the comment; they always see the rating in aggregates",
    }),
  })
  .meta({ id: 'FeedbackInput' });

/** One attendee's rating of one held meeting, final once given. */
export const feedback = z
  .strictObject({
    id: idSchema('feedback'),
    relationshipId: idSchema('relationship'),
    meetingId: idSchema('meeting'),
    personId: idSchema('person'),
    rating: z.int().min(1).max(5),
    comment: z.string().optional(),
    pairingWorking: z.enum(pairingAnswers).optional(),
    shareCommentWithAdmins: z.boolean(),
    ...entityMeta,
  })
  .meta({ id: 'Feedback' });
export type Feedback = z.infer<typeof feedback>;

const counts = (keys: readonly string[]) =>
  z.strictObject(Object.fromEntries(keys.map((key) => [key, z.int().min(0)])) as Record<string, z.ZodInt>);

/** What admins see of feedback: numbers, and only the comments their authors shared. */
export const feedbackSummary = z
  .strictObject({
    relationshipId: idSchema('relationship'),
    meetingId: idSchema('meeting').optional().meta({ description: 'Absent for a whole relationship' }),
    count: z.int().min(0),
    averageRating: z
      .number()
      .min(1)
      .max(5)
      .nullable()
      .meta({ description: 'null while there is no feedback' }),
    ratings: counts(['1', '2', '3', '4', '5']).meta({ description: 'How many gave each rating' }),
    pairingWorking: counts(pairingAnswers).meta({
      description: 'How many answered each way (the question is optional)',
    }),
    sharedComments: z
      .array(
        z
          .strictObject({
            meetingId: idSchema('meeting'),
            personId: idSchema('person'),
            rating: z.int().min(1).max(5),
            comment: z.string(),
            createdAt: isoDateTime,
          })
          .meta({ id: 'SharedFeedbackComment' }),
      )
      .meta({ description: 'Comments whose authors chose to share them with admins, oldest first' }),
  })
  .meta({ id: 'FeedbackSummary' });
export type FeedbackSummary = z.infer<typeof feedbackSummary>;

/** Aggregates a set of feedback the way admins may see it. */
export function summarizeFeedback(
  items: Feedback[],
  scope: { relationshipId: string; meetingId?: string },
): FeedbackSummary {
  const ratings: Record<string, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  const pairing: Record<string, number> = { yes: 0, somewhat: 0, no: 0 };
  let total = 0;
  for (const item of items) {
    ratings[String(item.rating)]! += 1;
    total += item.rating;
    if (item.pairingWorking) pairing[item.pairingWorking]! += 1;
  }
  return {
    relationshipId: scope.relationshipId,
    ...(scope.meetingId ? { meetingId: scope.meetingId } : {}),
    count: items.length,
    averageRating: items.length ? Math.round((total / items.length) * 100) / 100 : null,
    ratings,
    pairingWorking: pairing,
    sharedComments: items
      .filter((item) => item.shareCommentWithAdmins && item.comment)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((item) => ({
        meetingId: item.meetingId,
        personId: item.personId,
        rating: item.rating,
        comment: item.comment!,
        createdAt: item.createdAt,
      })),
  };
}
