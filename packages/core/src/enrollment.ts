import * as z from 'zod';
import { entityMeta, skillOffered, skillWanted, text, uniqueByName } from './common.ts';
import { InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import type { ProgramFormat } from './program.ts';

export const enrollmentRoles = ['mentor', 'mentee', 'peer'] as const;
export type EnrollmentRole = (typeof enrollmentRoles)[number];

export const enrollmentStatuses = ['active', 'withdrawn'] as const;

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)')
  .meta({ maxLength: 5, example: '09:30' });

export const availability = z
  .strictObject({
    hoursPerMonth: z.int().min(1).max(80).optional(),
    slots: z
      .array(
        z
          .strictObject({ day: z.enum(weekdays), start: clock, end: clock })
          .refine((slot) => slot.start < slot.end, { message: 'must end after it starts', path: ['end'] })
          .meta({ description: 'A weekly slot; `end` must be later than `start` on the same day' }),
      )
      .max(28)
      .default([])
      .meta({ description: "Weekly slots in the person's own time zone" }),
  })
  .meta({ id: 'Availability' });

const enrollmentFields = {
  personId: idSchema('person'),
  role: z.enum(enrollmentRoles).meta({
    description: 'mentor or mentee in a one_to_one program, peer in peer_pairs and circles (422 otherwise)',
  }),
  capacity: z.int().min(1).max(20).optional().meta({
    description:
      "Mentors only (422 for other roles): how many mentees they take (defaults to the program's defaultMentorCapacity)",
  }),
  goals: z.array(text(300)).max(10).default([]),
  skillsOffered: uniqueByName(skillOffered, 50)
    .optional()
    .meta({ description: "Overrides the person's profile for this program" }),
  skillsWanted: uniqueByName(skillWanted, 50)
    .optional()
    .meta({ description: "Overrides the person's profile for this program" }),
  availability: availability.optional(),
  preferences: z.array(idSchema('person')).max(10).optional().meta({
    description:
      'Ranked people this participant would like to be matched with, best first; never the enrolled person (422)',
  }),
};

export const enrollmentInput = z.strictObject(enrollmentFields).meta({ id: 'EnrollmentInput' });
export type EnrollmentInput = z.infer<typeof enrollmentInput>;

/** Who is enrolled and as what is fixed; withdraw and re-enroll to change it. */
export const enrollmentPatch = mergePatchSchema(
  z.object(enrollmentFields).omit({ personId: true, role: true }).shape,
).meta({ id: 'EnrollmentPatch' });

export const enrollment = z
  .strictObject({
    id: idSchema('enrollment'),
    programId: idSchema('program'),
    ...enrollmentFields,
    status: z.enum(enrollmentStatuses),
    withdrawnAt: z.iso.datetime({ offset: true }).optional(),
    ...entityMeta,
  })
  .meta({ id: 'Enrollment' });
export type Enrollment = z.infer<typeof enrollment>;

const rolesByFormat: Record<ProgramFormat, readonly EnrollmentRole[]> = {
  one_to_one: ['mentor', 'mentee'],
  peer_pairs: ['peer'],
  circles: ['peer'],
};

/** Roles must fit the program's format; only mentors have a capacity; nobody prefers themselves. */
export function assertEnrollmentFits(
  format: ProgramFormat,
  value: Pick<EnrollmentInput, 'role' | 'capacity' | 'personId' | 'preferences'>,
) {
  const allowed = rolesByFormat[format];
  if (!allowed.includes(value.role))
    throw new InvalidInputError(`A ${format} program takes ${allowed.join(' or ')} enrollments`, [
      { field: '/role', message: `must be ${allowed.join(' or ')} in a ${format} program` },
    ]);
  if (value.capacity !== undefined && value.role !== 'mentor')
    throw new InvalidInputError('Only mentors have a capacity', [
      { field: '/capacity', message: 'only for mentors' },
    ]);
  const self = value.preferences?.indexOf(value.personId) ?? -1;
  if (self >= 0)
    throw new InvalidInputError('A participant cannot prefer themselves', [
      { field: `/preferences/${self}`, message: 'is the enrolled person' },
    ]);
}

/** What a participant sends to enrol themselves: the person is the caller; preferences are the admin's. */
export const selfEnrollmentInput = z
  .strictObject({
    programId: idSchema('program'),
    ...z.object(enrollmentFields).omit({ personId: true, preferences: true }).shape,
  })
  .meta({ id: 'SelfEnrollmentInput' });
export type SelfEnrollmentInput = z.infer<typeof selfEnrollmentInput>;
