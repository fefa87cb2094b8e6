import type { ScimGroupRecord } from '@tandem/core';
import * as z from 'zod';
import { ScimError } from './errors.ts';
import { GROUP_SCHEMA } from './schemas.ts';
import { weakETag } from './user.ts';

const groupAttributes = z.looseObject({
  displayName: z.string().trim().min(1).max(256),
  externalId: z.string().min(1).max(200).optional(),
  members: z
    .array(z.looseObject({ value: z.string().min(1).max(100) }))
    .max(10_000)
    .optional(),
});

export interface GroupAttributes {
  displayName: string;
  externalId?: string | undefined;
  memberIds: string[];
}

/**
 * Validates a Group as sent. Extra schema URNs (Entra adds
 * `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group`) are accepted and
 * not kept: a group is its name, external id and members.
 */
export function parseGroup(body: unknown): GroupAttributes {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ScimError(400, 'invalidSyntax', 'A Group is a JSON object');
  const named = Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      (
        { displayname: 'displayName', externalid: 'externalId', members: 'members' } as Record<string, string>
      )[key.toLowerCase()] ?? key,
      value,
    ]),
  );
  const result = groupAttributes.safeParse(named);
  if (!result.success)
    throw new ScimError(
      400,
      'invalidValue',
      result.error.issues.map((issue) => `${issue.path.join('.') || 'Group'}: ${issue.message}`).join('; '),
    );
  return {
    displayName: result.data.displayName,
    externalId: result.data.externalId,
    memberIds: [...new Set((result.data.members ?? []).map((m) => m.value))],
  };
}

/** The attributes a PATCH starts from. */
export const groupAsAttributes = (group: ScimGroupRecord) => ({
  displayName: group.displayName,
  ...(group.externalId ? { externalId: group.externalId } : {}),
  members: group.memberIds.map((value) => ({ value })),
});

export function renderGroup(
  group: ScimGroupRecord,
  baseUrl: string,
  options: { members: boolean; names?: Map<string, string> },
) {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    ...(options.members
      ? {
          members: group.memberIds.map((value) => ({
            value,
            $ref: `${baseUrl}/Users/${value}`,
            type: 'User',
            ...(options.names?.get(value) ? { display: options.names.get(value) } : {}),
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.createdAt,
      lastModified: group.updatedAt,
      location: `${baseUrl}/Groups/${group.id}`,
      version: weakETag(group.version),
    },
  };
}
