import * as z from 'zod';
import { isoDate, isoDateTime, text } from './common.ts';
import { type FieldError, InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import { isMember, type Relationship } from './relationship.ts';

export const agreementChannels = ['video', 'in_person', 'chat', 'phone', 'email'] as const;
export const confidentialityLevels = ['members_only', 'program_staff', 'shareable'] as const;

export const agreementCadence = z
  .strictObject({
    every: z.int().min(1).max(52).meta({ example: 2 }),
    unit: z.enum(['days', 'weeks']).meta({ example: 'weeks' }),
    durationMinutes: z.int().min(5).max(480).meta({ example: 45 }),
  })
  .meta({ id: 'AgreementCadence', description: 'How often the members meet and for how long' });

export const agreementDuration = z
  .strictObject({
    weeks: z.int().min(1).max(260).optional(),
    endDate: isoDate.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.weeks === undefined) === (value.endDate === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'must give exactly one of weeks and endDate' });
  })
  .meta({
    id: 'AgreementDuration',
    description: 'How long the relationship is meant to last: exactly one of `weeks` and `endDate`',
  });

export const agreementExpectation = z
  .strictObject({
    personId: idSchema('person').meta({ description: 'The member who has this expectation' }),
    expects: text(2000).meta({ example: 'Honest feedback on my presentations' }),
  })
  .meta({ id: 'AgreementExpectation', description: 'What one member expects of the other members' });

export const agreementConfidentiality = z
  .strictObject({
    level: z.enum(confidentialityLevels).meta({
      description:
        '`members_only`: what is said stays between the members; `program_staff`: may be shared with the program admins; `shareable`: may be shared more widely',
    }),
    details: text(2000).optional(),
  })
  .meta({ id: 'AgreementConfidentiality' });

const agreementFields = {
  sharedGoals: z.array(text(500)).max(20).default([]),
  expectations: z
    .array(agreementExpectation)
    .max(20)
    .default([])
    .meta({ description: 'Members only, each at most once' }),
  boundaries: text(4000).optional(),
  cadence: agreementCadence.optional(),
  duration: agreementDuration.optional(),
  channels: z
    .array(z.enum(agreementChannels))
    .max(agreementChannels.length)
    .refine((channels) => new Set(channels).size === channels.length, 'must not repeat a channel')
    .default([])
    .meta({ uniqueItems: true }),
  confidentiality: agreementConfidentiality.optional(),
};

/** What the members agree on: the whole draft (PUT). */
export const agreementTerms = z.strictObject(agreementFields).meta({ id: 'AgreementTerms' });
export type AgreementTerms = z.infer<typeof agreementTerms>;

export const agreementPatch = mergePatchSchema(agreementFields).meta({ id: 'AgreementPatch' });

export const agreementTermNames = Object.keys(agreementFields) as (keyof AgreementTerms)[];

export const agreementAcceptanceInput = z
  .strictObject({
    version: z.int().min(1).max(1_000_000).meta({
      description:
        'The version the member read and accepts; an acceptance applies to exactly this version (409 once a newer one exists)',
    }),
  })
  .meta({ id: 'AgreementAcceptanceInput' });

const acceptance = z.object({ personId: idSchema('person'), acceptedAt: isoDateTime });

const versionFields = {
  relationshipId: idSchema('relationship'),
  version: z.int().min(1),
  ...agreementFields,
  acceptances: z
    .array(acceptance)
    .max(20)
    .meta({ description: 'The members who accepted this version (every change needs everyone again)' }),
};

export const agreement = z
  .object({
    ...versionFields,
    acceptedByAll: z.boolean(),
    awaiting: z
      .array(idSchema('person'))
      .max(20)
      .meta({ description: 'Members who have not accepted this version yet' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    updatedBy: idSchema('person').meta({ description: 'The member who wrote this version' }),
  })
  .meta({ id: 'Agreement' });
export type Agreement = z.infer<typeof agreement>;

export const agreementVersion = z
  .object({
    ...versionFields,
    createdAt: isoDateTime,
    createdBy: idSchema('person').meta({ description: 'The member who wrote this version' }),
  })
  .meta({ id: 'AgreementVersion' });
export type AgreementVersion = z.infer<typeof agreementVersion>;

/**
 * The agreement as stored: the terms of its current version and who accepted that version, keyed
 * by person (a map, so that a conditional write can add one acceptance and count them).
 */
export interface StoredAgreement extends AgreementTerms {
  relationshipId: string;
  version: number;
  acceptances: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export const storedAgreement: z.ZodType<StoredAgreement> = z.object({
  ...agreementFields,
  relationshipId: z.string(),
  version: z.int(),
  acceptances: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const termsOf = (stored: AgreementTerms): AgreementTerms =>
  agreementTerms.parse(Object.fromEntries(agreementTermNames.map((name) => [name, stored[name]])));

/** The fields whose value differs between two sets of terms. */
export function changedTerms(before: AgreementTerms | undefined, after: AgreementTerms): string[] {
  return agreementTermNames.filter(
    (name) => JSON.stringify(before?.[name] ?? null) !== JSON.stringify(after[name] ?? null),
  );
}

export function describeAgreement(
  stored: StoredAgreement,
  relationship: Pick<Relationship, 'members'>,
): Agreement {
  const awaiting = relationship.members.map((m) => m.personId).filter((id) => !stored.acceptances[id]);
  return agreement.parse({
    ...stored,
    acceptances: acceptancesOf(stored.acceptances, relationship),
    acceptedByAll: awaiting.length === 0,
    awaiting,
  });
}

/** In member order, then anyone no longer a member. */
export function acceptancesOf(
  acceptances: Record<string, string>,
  relationship: Pick<Relationship, 'members'>,
) {
  const order = relationship.members.map((m) => m.personId);
  return Object.entries(acceptances)
    .sort(([a], [b]) => rank(order, a) - rank(order, b))
    .map(([personId, acceptedAt]) => ({ personId, acceptedAt }));
}

const rank = (order: string[], id: string) => (order.includes(id) ? order.indexOf(id) : order.length);

/** Expectations are the members' own, one entry per member at most. */
export function assertExpectationsOfMembers(
  terms: Pick<AgreementTerms, 'expectations'>,
  relationship: Pick<Relationship, 'members'>,
) {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  terms.expectations.forEach((e, i) => {
    if (!isMember(relationship, e.personId))
      errors.push({ field: `/expectations/${i}/personId`, message: 'is not a member of this relationship' });
    else if (seen.has(e.personId))
      errors.push({ field: `/expectations/${i}/personId`, message: 'already has an entry' });
    seen.add(e.personId);
  });
  if (errors.length) throw new InvalidInputError('Expectations must be those of the members', errors);
}
