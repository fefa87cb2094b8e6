import * as z from 'zod';
import { isoDateTime, text } from './common.ts';
import { ConflictError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { explanation } from './match-run.ts';
import { matchSnapshot } from './match-snapshot.ts';
import { instantiateMilestones, relationshipMilestone } from './milestone.ts';
import type { Program } from './program.ts';

/**
 * A pair is "proposed" as a run's proposal; publishing (or a manual match) makes it an active
 * relationship, or one pending its agreement when the program requires one (active once every
 * member accepted), which ends completed or dissolved.
 */
export const relationshipStatuses = ['pending_agreement', 'active', 'completed', 'dissolved'] as const;
export type RelationshipStatus = (typeof relationshipStatuses)[number];

/** Why a relationship was dissolved: a closed list, so programs can count reasons across relationships. */
export const dissolveReasons = ['mismatch', 'left_organization', 'no_time', 'other'] as const;
export type DissolveReason = (typeof dissolveReasons)[number];

export const relationshipMember = z.object({
  personId: idSchema('person'),
  role: z.enum(['mentor', 'mentee', 'peer']),
});

export const relationship = z
  .object({
    id: idSchema('relationship'),
    programId: idSchema('program'),
    members: z.array(relationshipMember).min(2),
    score: z.number(),
    explanation,
    matchSnapshot: matchSnapshot.optional(),
    status: z.enum(relationshipStatuses),
    source: z.enum(['match_run', 'manual']),
    matchRunId: idSchema('matchRun').optional(),
    startedAt: isoDateTime.optional(),
    activatedAt: isoDateTime
      .optional()
      .meta({ description: 'When every member accepted the agreement of a relationship that required one' }),
    milestones: z
      .array(relationshipMilestone)
      .max(20)
      .default([])
      .meta({ description: "The program's milestone templates as they were when the relationship started" }),
    endedAt: isoDateTime.optional(),
    endReason: z.enum(dissolveReasons).optional().meta({ description: 'Why it was dissolved' }),
    endDetail: z.string().optional().meta({
      description:
        'What the person who dissolved it added in words; readable by the members and admins, never in events',
    }),
    endedBy: idSchema('person').optional().meta({
      description: 'The member who completed or dissolved it; absent when an admin did',
    }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    version: z.int().min(1),
  })
  .meta({ id: 'Relationship' });
export type Relationship = z.infer<typeof relationship>;

export const manualMatchInput = z
  .strictObject({
    programId: idSchema('program'),
    personIds: z
      .array(idSchema('person'))
      .min(2)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a person')
      .meta({ description: 'Two people (mentor and mentee, or two peers), or a circle', uniqueItems: true }),
  })
  .meta({ id: 'ManualMatchInput' });

export const relationshipEnd = z
  .strictObject({
    reason: z.enum(dissolveReasons).meta({
      description:
        '`mismatch` (the pairing did not work), `left_organization`, `no_time`, or `other` (say more in `detail`)',
    }),
    detail: text(1000).optional().meta({
      description: 'In words, for the members and admins; not sent in events',
      example: 'Schedules never lined up',
    }),
  })
  .meta({ id: 'RelationshipEnd' });
export type RelationshipEnd = z.infer<typeof relationshipEnd>;

/** How a new relationship of the program starts: its status and its milestones. */
export function relationshipStart(
  program: Pick<Program, 'relationships'>,
  startedAt: string,
): Pick<Relationship, 'status' | 'milestones'> {
  return {
    status: program.relationships.requireAgreement ? 'pending_agreement' : 'active',
    milestones: instantiateMilestones(program.relationships.milestoneTemplates, startedAt),
  };
}

/** A relationship that has not ended: it can still end, and its workspace can still change. */
export function assertOngoing(current: Pick<Relationship, 'id' | 'status'>) {
  if (current.status !== 'active' && current.status !== 'pending_agreement')
    throw new ConflictError(`Relationship ${current.id} is already ${current.status}`);
}

/** Whether a person is one of the relationship's members. */
export const isMember = (relationship: Pick<Relationship, 'members'>, personId: string) =>
  relationship.members.some((m) => m.personId === personId);
