import type { ScimUserRecord } from '@tandem/core';
import * as z from 'zod';
import { ScimError } from './errors.ts';
import { ENTERPRISE_USER, USER_SCHEMA } from './schemas.ts';

/** `True`/`False` strings too: Entra's provisioning sends booleans as strings without aadOptscim062020. */
const scimBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((value) => value.toLowerCase() === 'true'),
]);

const shortText = z.string().max(1024);

const multiValued = z.array(
  z.looseObject({ value: shortText.optional(), type: shortText.optional(), primary: scimBoolean.optional() }),
);

/** Entra sends `manager` as the manager's id itself; the RFC as `{ value }`. Both become `{ value }`. */
const manager = z.union([
  z.string().transform((value) => ({ value })),
  z.looseObject({
    value: shortText.optional(),
    displayName: shortText.optional(),
    $ref: shortText.optional(),
  }),
]);

const enterprise = z.looseObject({
  employeeNumber: shortText.optional(),
  costCenter: shortText.optional(),
  organization: shortText.optional(),
  division: shortText.optional(),
  department: shortText.optional(),
  manager: manager.optional(),
});

/** The attributes Tandem reads; any other attribute is kept as sent and returned. */
const userAttributes = z.looseObject({
  schemas: z.array(shortText).optional(),
  userName: z.string().trim().min(1).max(256),
  externalId: z.string().min(1).max(200).optional(),
  name: z
    .looseObject({
      formatted: shortText.optional(),
      givenName: shortText.optional(),
      familyName: shortText.optional(),
      middleName: shortText.optional(),
    })
    .optional(),
  displayName: shortText.optional(),
  nickName: shortText.optional(),
  title: shortText.optional(),
  timezone: shortText.optional(),
  active: scimBoolean.optional(),
  emails: multiValued.optional(),
  phoneNumbers: multiValued.optional(),
  [ENTERPRISE_USER]: enterprise.optional(),
});

export type UserAttributes = z.infer<typeof userAttributes>;

/** Server-assigned or read-only attributes: ignored in requests (RFC 7643 §2.2 mutability). */
const readOnly = new Set(['id', 'meta', 'groups']);

/**
 * Attribute names are case-insensitive (RFC 7643 §2.1): request names become the canonical ones,
 * so `Active` and `active` are one attribute.
 */
const canonical = new Map(
  [
    'schemas',
    'userName',
    'externalId',
    'name',
    'displayName',
    'nickName',
    'profileUrl',
    'title',
    'userType',
    'preferredLanguage',
    'locale',
    'timezone',
    'active',
    'emails',
    'phoneNumbers',
    'ims',
    'photos',
    'addresses',
    'entitlements',
    'roles',
    'x509Certificates',
    ENTERPRISE_USER,
    ...readOnly,
  ].map((name) => [name.toLowerCase(), name]),
);

export const canonicalName = (name: string) => canonical.get(name.toLowerCase()) ?? name;

/** Validates a User as sent (POST, PUT, or the result of a PATCH); 400 invalidValue naming what is wrong. */
export function parseUser(body: unknown): UserAttributes {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ScimError(400, 'invalidSyntax', 'A User is a JSON object');
  const named = Object.fromEntries(
    Object.entries(body)
      .map(([key, value]) => [canonicalName(key), value] as const)
      .filter(([key]) => !readOnly.has(key)),
  );
  const result = userAttributes.safeParse(named);
  if (!result.success)
    throw new ScimError(
      400,
      'invalidValue',
      result.error.issues.map((issue) => `${issue.path.join('.') || 'User'}: ${issue.message}`).join('; '),
    );
  const user = result.data;
  user.schemas = [USER_SCHEMA, ...(user[ENTERPRISE_USER] ? [ENTERPRISE_USER] : [])];
  // Undefined members would otherwise survive until storage strips them; drop them now.
  return JSON.parse(JSON.stringify(user)) as UserAttributes;
}

/** What of a SCIM User becomes the person in Tandem (see docs/scim.md for the mapping). */
export interface PersonFields {
  name: string;
  email: string;
  title?: string | undefined;
  department?: string | undefined;
  /** The manager's SCIM id, which is their person id in Tandem. */
  managerRef?: string | undefined;
  timezone?: string | undefined;
  active: boolean | undefined;
  externalId?: string | undefined;
}

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+$/.test(value);

export function personFieldsOf(user: UserAttributes): PersonFields {
  const emails = (user.emails ?? []).filter((e) => typeof e.value === 'string' && e.value.length > 0);
  const email =
    emails.find((e) => e.primary === true)?.value ??
    emails.find((e) => e.type === 'work')?.value ??
    emails[0]?.value ??
    (looksLikeEmail(user.userName) ? user.userName : undefined);
  if (!email)
    throw new ScimError(400, 'invalidValue', 'A user needs an email: in emails, or a userName that is one');
  const given = [user.name?.givenName, user.name?.familyName].filter(Boolean).join(' ');
  const name = (user.displayName || given || user.name?.formatted || user.userName).slice(0, 200);
  const ext = user[ENTERPRISE_USER];
  return {
    name,
    email,
    title: user.title?.slice(0, 200) || undefined,
    department: ext?.department?.slice(0, 120) || undefined,
    managerRef: ext?.manager?.value || undefined,
    timezone: user.timezone || undefined,
    active: user.active,
    externalId: user.externalId,
  };
}

/** The work email a `emails[type eq "work"].value eq` filter compares against, if any. */
export const workEmails = (user: UserAttributes) =>
  (user.emails ?? [])
    .filter((e) => e.type?.toLowerCase() === 'work' && e.value)
    .map((e) => e.value!.toLowerCase());

export const weakETag = (version: number) => `W/"${version}"`;

/** The User resource: the attributes as sent, the id, the manager in the RFC's `{ value }` form, meta. */
export function renderUser(record: ScimUserRecord, baseUrl: string) {
  const { schemas: _schemas, ...attributes } = record.attributes as Record<string, unknown>;
  return {
    schemas: record.attributes.schemas ?? [USER_SCHEMA],
    id: record.personId,
    ...attributes,
    active: attributes.active ?? true,
    meta: {
      resourceType: 'User',
      created: record.createdAt,
      lastModified: record.updatedAt,
      location: `${baseUrl}/Users/${record.personId}`,
      version: weakETag(record.version),
    },
  };
}
