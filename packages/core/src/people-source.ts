import * as z from 'zod';
import { isoDateTime } from './common.ts';
import { ConflictError } from './errors.ts';
import { idPrefixes } from './ids.ts';

/**
 * The person fields an identity provider or HR system keeps in sync. With a source of truth set,
 * only that source writes them; everything else of a person (skills, goals, interests, languages,
 * background, time zone) stays editable by admins and the person whatever the source.
 * There is no employee number field: a system's own id for the person is in `externalIds`.
 */
export const syncedPersonFields = [
  'name',
  'email',
  'department',
  'title',
  'location',
  'managerId',
  'hireDate',
  'status',
] as const;
export type SyncedPersonField = (typeof syncedPersonFields)[number];

const connectionIdPattern = `${idPrefixes.hrisConnection}_[0-9a-hjkmnp-tv-z]{26}`;

/** Who wrote a field: an admin through the API, the SCIM identity provider, or one HRIS connection. */
export const fieldSource = z
  .string()
  .regex(new RegExp(`^(api|scim|hris:${connectionIdPattern})$`))
  .meta({ example: 'hris:hrc_01jd5x3n7a8q9w0e1r2t3y4z5v', maxLength: 35 });
export type FieldSource = z.infer<typeof fieldSource>;

export const personFieldSources = z.partialRecord(z.enum(syncedPersonFields), fieldSource).meta({
  id: 'PersonFieldSources',
  description:
    'Which source last wrote each synced field: `api` (an admin), `scim` (the identity provider) or `hris:<connectionId>`. Read-only.',
});
export type PersonFieldSources = z.infer<typeof personFieldSources>;

/** The organization's source of truth for people: nobody, SCIM, or one HRIS connection. */
export const peopleSourceValue = z
  .string()
  .regex(new RegExp(`^(none|scim|hris:${connectionIdPattern})$`), 'must be none, scim or hris:<connectionId>')
  .meta({ example: 'scim', maxLength: 35 });
export type PeopleSourceValue = z.infer<typeof peopleSourceValue>;

export const peopleSourceInput = z
  .strictObject({
    source: peopleSourceValue.meta({
      description:
        '`none` (every source may write people), `scim`, or `hris:<connectionId>`: only that source then writes the synced fields (' +
        `${syncedPersonFields.join(', ')}) and deprovisions; the others are refused (API: 409, SCIM: 400 mutability) or ignored (HRIS: logged as ignored).`,
    }),
  })
  .meta({ id: 'PeopleSourceInput' });

export const peopleSource = z
  .strictObject({
    source: peopleSourceValue,
    updatedAt: isoDateTime.optional(),
    version: z.int().min(0).meta({ description: '0 while the organization never set one' }),
  })
  .meta({ id: 'PeopleSource' });
export type PeopleSource = z.infer<typeof peopleSource>;

/** Whether `writer` may change synced fields while `source` is the organization's source of truth. */
export const mayWriteSynced = (source: PeopleSourceValue, writer: FieldSource) =>
  source === 'none' || source === writer;

/** The synced fields whose values differ between two versions of a person (`before` absent: set ones). */
export function changedSyncedFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): SyncedPersonField[] {
  return syncedPersonFields.filter(
    (field) => JSON.stringify(before?.[field]) !== JSON.stringify(after[field]),
  );
}

/**
 * The field sources of `after` once `writer` wrote it over `before`: the fields it changed are now
 * the writer's, fields it removed have no source, and the rest keep theirs.
 */
export function stampFieldSources(
  before: { fieldSources?: PersonFieldSources | undefined } & Record<string, unknown>,
  after: Record<string, unknown>,
  writer: FieldSource,
): PersonFieldSources | undefined {
  const sources: PersonFieldSources = { ...(before.fieldSources ?? {}) };
  for (const field of changedSyncedFields(before, after)) {
    if (after[field] === undefined) delete sources[field];
    else sources[field] = writer;
  }
  return Object.keys(sources).length ? sources : undefined;
}

/** A write to synced fields by a source that is not the organization's source of truth. */
export class PeopleSourceConflict extends ConflictError {
  constructor(
    readonly source: PeopleSourceValue,
    readonly writer: FieldSource,
    fields: readonly string[],
  ) {
    super(
      `The people source of this organization is ${source}: ${writer} may not change ${fields.join(', ')}`,
      fields.map((field) => ({ field: `/${field}`, message: `is kept by ${source}` })),
    );
  }
}
