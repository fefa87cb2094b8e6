import * as z from 'zod';
import { ConflictError } from './errors.ts';

export const anonymityModes = ['identified', 'anonymous'] as const;
export type AnonymityMode = (typeof anonymityModes)[number];

export const DEFAULT_MIN_RESPONDENTS = 5;

export const anonymitySettings = z
  .strictObject({
    mode: z.enum(anonymityModes).default('identified').meta({
      description:
        '`anonymous`: survey responses are reported only in aggregate, and slices with fewer than `k` respondents are suppressed. Cannot go back to `identified`',
    }),
    k: z.int().min(2).max(100).default(DEFAULT_MIN_RESPONDENTS).meta({
      description: 'Smallest number of respondents a reported slice may have',
    }),
  })
  .meta({ id: 'AnonymitySettings' });
export type AnonymitySettings = z.infer<typeof anonymitySettings>;

/**
 * Anonymity promised to respondents is never withdrawn: an anonymous program stays anonymous,
 * and its k may only grow.
 */
export function assertAnonymityKept(current: AnonymitySettings, next: AnonymitySettings) {
  if (current.mode !== 'anonymous') return;
  if (next.mode !== 'anonymous')
    throw new ConflictError(
      'An anonymous program cannot become identified: its respondents were promised anonymity',
      [{ field: '/anonymity/mode', message: 'the program is anonymous' }],
    );
  if (next.k < current.k)
    throw new ConflictError(`An anonymous program's k can only grow (it is ${current.k})`, [
      { field: '/anonymity/k', message: `must be at least ${current.k}` },
    ]);
}

/**
 * k-anonymity for any report cut into slices (per schedule, per cohort, per department): a slice
 * with fewer than `k` respondents is suppressed. When that leaves exactly one slice suppressed next
 * to others, the smallest shown slice is suppressed too (complementary suppression), so a reader
 * who knows the total cannot get the hidden slice back by subtraction. Slices keep their order.
 */
export function suppressSmallSlices<S>(
  slices: readonly S[],
  respondents: (slice: S) => number,
  k: number = DEFAULT_MIN_RESPONDENTS,
): { shown: S[]; suppressed: S[] } {
  const hidden = new Set(slices.filter((slice) => respondents(slice) < k));
  if (hidden.size === 1 && slices.length > 1) {
    const smallest = slices
      .filter((slice) => !hidden.has(slice))
      .reduce<S | undefined>(
        (min, slice) => (min === undefined || respondents(slice) < respondents(min) ? slice : min),
        undefined,
      );
    if (smallest !== undefined) hidden.add(smallest);
  }
  return {
    shown: slices.filter((slice) => !hidden.has(slice)),
    suppressed: slices.filter((slice) => hidden.has(slice)),
  };
}
