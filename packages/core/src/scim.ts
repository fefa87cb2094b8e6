import * as z from 'zod';
import { isoDateTime } from './common.ts';
import { idSchema } from './id-schema.ts';

/**
 * The system name under which a person's SCIM `externalId` is kept in `person.externalIds`: its
 * lookup item makes `externalId eq "…"` one read and keeps it unique per organization.
 */
export const SCIM_SYSTEM = 'scim';

/**
 * An organization's SCIM token: one at a time. Issuing a new one replaces the old at once (an
 * identity provider's connection holds exactly one token, and the admin pastes the new one).
 */
export const scimToken = z
  .strictObject({
    id: idSchema('scimToken'),
    prefix: z.string().meta({ description: 'The first characters of the secret, to recognize it' }),
    status: z.enum(['active', 'revoked']),
    createdAt: isoDateTime,
    revokedAt: isoDateTime.optional(),
    replaces: idSchema('scimToken').optional().meta({ description: 'The token this one replaced' }),
  })
  .meta({ id: 'ScimToken' });
export type ScimToken = z.infer<typeof scimToken>;

/** The SCIM attributes of a provisioned person, exactly as the identity provider sent them. */
export interface ScimUserRecord {
  personId: string;
  userName: string;
  /** Every attribute but `id` and `meta`, as sent (RFC 7643 core User and the enterprise extension). */
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A SCIM group, kept as sent: a named set of provisioned people (see docs/scim.md). */
export interface ScimGroupRecord {
  id: string;
  displayName: string;
  externalId?: string | undefined;
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const scimGroupEventData = {
  groupId: idSchema('scimGroup'),
  displayName: z.string(),
  memberCount: z.int().min(0),
};
