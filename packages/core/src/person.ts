import * as z from 'zod';
import {
  entityMeta,
  isoDate,
  isoDateTime,
  languageTag,
  skillOffered,
  skillWanted,
  stringMap,
  text,
  timeZone,
  uniqueByName,
} from './common.ts';
import { InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import { personFieldSources } from './people-source.ts';

export const personStatuses = ['active', 'inactive', 'left'] as const;
export type PersonStatus = (typeof personStatuses)[number];

const personFields = {
  name: text(200).meta({ example: 'Dana Okafor' }),
  // zod's email rule is narrower than JSON Schema's `email` format; the pattern states it.
  email: z.email().max(320).meta({ example: 'dana@example.com', pattern: z.regexes.email.source }),
  department: text(120).optional().meta({ example: 'Engineering' }),
  title: text(200).optional(),
  location: text(200).optional(),
  timezone: timeZone.optional(),
  managerId: idSchema('person').optional().meta({
    description: 'The person this person reports to: another person of the organization (422 otherwise)',
  }),
  hireDate: isoDate.optional(),
  languages: z.array(languageTag).max(20).default([]),
  skillsOffered: uniqueByName(skillOffered, 50)
    .default([])
    .meta({ description: 'Skills this person can teach' }),
  skillsWanted: uniqueByName(skillWanted, 50)
    .default([])
    .meta({ description: 'Skills this person wants to grow' }),
  careerGoals: z.array(text(200)).max(20).default([]),
  interests: z.array(text(80)).max(50).default([]),
  background: stringMap(20, 120).optional().meta({
    description:
      'Optional self-described background attributes, shared by the person and used only to diversify matches. Never required.',
  }),
  status: z.enum(personStatuses).default('active'),
  externalIds: stringMap(20, 200)
    .optional()
    .meta({ description: 'Ids of this person in other systems, e.g. { "workday": "E1234" }' }),
};

export const personInput = z.strictObject(personFields).meta({ id: 'PersonInput' });
export type PersonInput = z.infer<typeof personInput>;

export const personPatch = mergePatchSchema(personFields).meta({ id: 'PersonPatch' });

export const person = z
  .strictObject({
    id: idSchema('person'),
    ...personInput.shape,
    fieldSources: personFieldSources.optional(),
    erasedAt: isoDateTime.optional().meta({
      description:
        'When the person was erased (POST /v1/people/{id}/erasure): the profile holds pseudonyms since',
    }),
    ...entityMeta,
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof person>;

/** What a participant may change of their own profile (PATCH /v1/me); the rest is the organization's. */
export const selfEditableFields = [
  'skillsOffered',
  'skillsWanted',
  'careerGoals',
  'interests',
  'languages',
  'timezone',
  'background',
] as const;

/**
 * Loose on purpose: a field the participant may not change is a rule about who is asking, so it is
 * answered 422 naming the field (see assertSelfEditable), not refused as an unknown member.
 */
export const profilePatch = z
  .looseObject(
    mergePatchSchema(
      Object.fromEntries(selfEditableFields.map((field) => [field, personFields[field]])) as Pick<
        typeof personFields,
        (typeof selfEditableFields)[number]
      >,
    ).shape,
  )
  .meta({
    id: 'ProfilePatch',
    description: `A participant's own profile fields (JSON Merge Patch): ${selfEditableFields.join(', ')}. Anything else of the person (email, department, status, externalIds, managerId, …) is the organization's: 422 naming the field.`,
  });

/** 422 naming every member of a participant's patch that is not theirs to change. */
export function assertSelfEditable(patch: Record<string, unknown>) {
  const editable = new Set<string>(selfEditableFields);
  const errors = Object.keys(patch)
    .filter((field) => !editable.has(field))
    .map((field) => ({
      field: `/${field}`,
      message:
        field in personFields
          ? "is the organization's to change, not the participant's"
          : 'is not a field of the profile',
    }));
  if (errors.length)
    throw new InvalidInputError(`Participants change only ${selfEditableFields.join(', ')}`, errors);
}
