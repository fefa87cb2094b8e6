import {
  changedSyncedFields,
  domainEvent,
  fieldErrors,
  InvalidInputError,
  newId,
  type Person,
  person,
  SCIM_SYSTEM,
  type ScimUserRecord,
  stampFieldSources,
  timeZone,
} from '@tandem/core';
import { personFieldsOf, type UserAttributes } from '@tandem/integrations';
import type { TenantContext } from '../context.ts';
import { personEventData } from '../people/person-rules.ts';
import { guardedWrite } from '../people/precedence.ts';
import { endEngagements } from './deprovision.ts';

/** A provisioned person as read: their SCIM record and the person it maps onto. */
export interface ProvisionedUser {
  record: ScimUserRecord;
  person: Person;
}

/** The fields of a person that SCIM owns: absent from the User, they are absent from the person. */
const scimOwned = ['title', 'department', 'managerId', 'timezone'] as const;

export async function loadUser(ctx: TenantContext, personId: string): Promise<ProvisionedUser> {
  const record = await ctx.store.scim.getUser(personId);
  return { record, person: await ctx.store.people.get(personId) };
}

/**
 * The person a User describes, on top of `base` (the person as it is, or a new one): name, email,
 * title, department, manager, time zone, status and the SCIM external id come from the User; the
 * rest of the person (skills, goals, interests) is the person's own and stays.
 */
async function personFrom(ctx: TenantContext, base: Person, user: UserAttributes): Promise<Person> {
  const fields = personFieldsOf(user);
  // A manager is a provisioned person of this organization; a reference to anyone else (not yet
  // provisioned, or another system's id) stays in the SCIM record only.
  const managerId =
    fields.managerRef && fields.managerRef !== base.id && (await ctx.store.scim.findUser(fields.managerRef))
      ? fields.managerRef
      : undefined;
  const { [SCIM_SYSTEM]: _previous, ...otherIds } = base.externalIds ?? {};
  const externalIds = { ...otherIds, ...(fields.externalId ? { [SCIM_SYSTEM]: fields.externalId } : {}) };
  const next: Record<string, unknown> = {
    ...base,
    name: fields.name,
    email: fields.email,
    title: fields.title,
    department: fields.department,
    managerId,
    timezone: fields.timezone && timeZone.safeParse(fields.timezone).success ? fields.timezone : undefined,
    status: fields.active === false ? 'left' : 'active',
    externalIds: Object.keys(externalIds).length ? externalIds : undefined,
  };
  next.fieldSources = stampFieldSources(base, next, SCIM_SYSTEM);
  const result = person.safeParse(JSON.parse(JSON.stringify(next)));
  if (!result.success)
    throw new InvalidInputError('The user does not make a valid person', fieldErrors(result.error));
  return result.data;
}

/**
 * Provisions a User: a new person, or `adopt`, a person of the organization with the User's
 * email who has no SCIM record (created through /v1/people, or deprovisioned and deleted earlier),
 * whom the identity provider then takes over instead of failing on the email.
 */
export async function writeNewUser(
  ctx: TenantContext,
  user: UserAttributes,
  adopt?: Person,
): Promise<ProvisionedUser> {
  const now = ctx.clock().toISOString();
  const attributes = { ...user, active: user.active ?? true };
  const personId = adopt?.id ?? newId('person');
  const record: ScimUserRecord = {
    personId,
    userName: user.userName,
    attributes,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  if (adopt) return writeUser(ctx, { record: undefined, person: adopt }, record);
  const created = await personFrom(
    ctx,
    { id: personId, createdAt: now, updatedAt: now, version: 1 } as Person,
    attributes,
  );
  await guardedWrite(ctx, SCIM_SYSTEM, changedSyncedFields(undefined, created), async (guard) =>
    ctx.store.people.create(created, domainEvent('person.created', personEventData(created)), [
      ...guard,
      ...(await ctx.store.scim.userOps(undefined, record)),
    ]),
  );
  return { record, person: created };
}

/**
 * Moves a provisioned person to what `next` says, in one transaction conditional on the versions
 * read (a lost race is a 412). A User that is not active deprovisions the person.
 */
export async function writeUser(
  ctx: TenantContext,
  current: { record: ScimUserRecord | undefined; person: Person },
  next: ScimUserRecord,
): Promise<ProvisionedUser> {
  const now = ctx.clock().toISOString();
  const attributes = next.attributes as UserAttributes;
  const merged = await personFrom(ctx, current.person, attributes);
  const updated: Person = { ...merged, updatedAt: now, version: current.person.version + 1 };
  const before = current.person as Record<string, unknown>;
  const after = updated as Record<string, unknown>;
  const removed = [...scimOwned, 'externalIds', 'fieldSources'].filter(
    (field) => before[field] !== undefined && after[field] === undefined,
  );
  const changed = Object.keys(after).filter(
    (field) =>
      !['updatedAt', 'version'].includes(field) &&
      JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
  await guardedWrite(ctx, SCIM_SYSTEM, changedSyncedFields(before, after), async (guard) =>
    ctx.store.people.update(
      current.person,
      updated,
      removed,
      domainEvent('person.updated', { ...personEventData(updated), changed }),
      [...guard, ...(await ctx.store.scim.userOps(current.record, next))],
    ),
  );
  if (updated.status === 'left') await endEngagements(ctx, updated.id);
  return { record: next, person: updated };
}
