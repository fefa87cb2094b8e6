import * as z from 'zod';
import { isoDateTime, text } from './common.ts';
import { idSchema } from './id-schema.ts';

/**
 * What reaches a milestone: the agreement fully accepted, the first meeting logged as held, or a
 * member (or an admin) saying so.
 */
export const milestoneTriggers = ['agreement_accepted', 'first_meeting_held', 'manual'] as const;
export type MilestoneTrigger = (typeof milestoneTriggers)[number];

export const milestoneKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1–40 lower-case letters, digits or _, starting with a letter')
  .meta({ example: 'midpoint_review', maxLength: 40 });

export const milestoneTemplate = z
  .strictObject({
    key: milestoneKey,
    title: text(120).meta({ example: 'Midpoint review' }),
    offsetDays: z
      .int()
      .min(0)
      .max(3650)
      .meta({ description: "Days after the relationship's start when the milestone is due" }),
    trigger: z.enum(milestoneTriggers).default('manual'),
  })
  .meta({ id: 'MilestoneTemplate' });
export type MilestoneTemplate = z.infer<typeof milestoneTemplate>;

export const defaultMilestoneTemplates = (): MilestoneTemplate[] => [
  { key: 'agreement_signed', title: 'Agreement signed', offsetDays: 14, trigger: 'agreement_accepted' },
  { key: 'first_meeting', title: 'First meeting', offsetDays: 21, trigger: 'first_meeting_held' },
  { key: 'midpoint_review', title: 'Midpoint review', offsetDays: 90, trigger: 'manual' },
  { key: 'close_out', title: 'Close-out', offsetDays: 180, trigger: 'manual' },
];

export const milestoneTemplates = z
  .array(milestoneTemplate)
  .max(20)
  .superRefine((templates, ctx) => {
    const seen = new Set<string>();
    templates.forEach((template, index) => {
      if (seen.has(template.key))
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `duplicate key ${template.key}` });
      seen.add(template.key);
    });
  })
  .meta({ description: 'Each key once. Copied onto every relationship when it starts' });

/** A template as a relationship got it when it started: later template changes leave it alone. */
export const relationshipMilestone = z
  .object({
    key: milestoneKey,
    title: z.string(),
    trigger: z.enum(milestoneTriggers),
    dueAt: isoDateTime,
  })
  .meta({ id: 'RelationshipMilestone' });
export type RelationshipMilestone = z.infer<typeof relationshipMilestone>;

/** A milestone of a relationship with whether and how it was reached. */
export const milestone = relationshipMilestone
  .extend({
    relationshipId: idSchema('relationship'),
    status: z.enum(['pending', 'reached']),
    reachedAt: isoDateTime.optional(),
    reachedBy: idSchema('person')
      .optional()
      .meta({ description: 'The member who marked it reached; absent when an admin or the trigger did' }),
  })
  .meta({ id: 'Milestone' });
export type Milestone = z.infer<typeof milestone>;

/** The item that exists once a milestone is reached. */
export interface ReachedMilestone {
  relationshipId: string;
  key: string;
  trigger: MilestoneTrigger;
  reachedAt: string;
  reachedBy?: string | undefined;
}

const DAY_MS = 86_400_000;

/** The program's templates as one relationship's milestones, due relative to its start. */
export function instantiateMilestones(
  templates: readonly MilestoneTemplate[],
  startedAt: string,
): RelationshipMilestone[] {
  const start = Date.parse(startedAt);
  return templates.map((t) => ({
    key: t.key,
    title: t.title,
    trigger: t.trigger,
    dueAt: new Date(start + t.offsetDays * DAY_MS).toISOString(),
  }));
}

export function describeMilestones(
  relationshipId: string,
  milestones: readonly RelationshipMilestone[],
  reached: readonly ReachedMilestone[],
): Milestone[] {
  const byKey = new Map(reached.map((r) => [r.key, r]));
  return milestones.map((m) => {
    const done = byKey.get(m.key);
    return {
      ...m,
      relationshipId,
      status: done ? 'reached' : 'pending',
      ...(done ? { reachedAt: done.reachedAt } : {}),
      ...(done?.reachedBy ? { reachedBy: done.reachedBy } : {}),
    };
  });
}
