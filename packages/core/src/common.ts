import * as z from 'zod';

/** Trimmed, non-empty, bounded text: the shape of every free-text field. */
export const text = (max: number) => z.string().trim().min(1).max(max);

export const isoDate = z.iso.date().meta({ example: '2026-01-15' });
export const isoDateTime = z.iso.datetime({ offset: true }).meta({ example: '2026-01-15T09:30:00Z' });

export const timeZone = z
  .string()
  .max(64)
  .refine((value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin')
  .meta({ example: 'Europe/Berlin' });

export const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR')
  .meta({ example: 'en' });

export const skillName = text(80).meta({ example: 'negotiation' });
export const skillLevel = z.int().min(1).max(5).meta({ description: '1 = beginner … 5 = expert' });

export const skillOffered = z
  .strictObject({ name: skillName, level: skillLevel })
  .meta({ id: 'SkillOffered' });
export const skillWanted = z
  .strictObject({
    name: skillName,
    targetLevel: skillLevel.optional().meta({ description: 'Level the person wants to reach' }),
  })
  .meta({ id: 'SkillWanted' });

/** Lists of named skills must not name a skill twice (case-insensitive). */
export function uniqueByName<T extends { name: string }>(schema: z.ZodType<T>, max: number) {
  return z
    .array(schema)
    .max(max)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const key = item.name.toLowerCase();
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate skill ${item.name}` });
        seen.add(key);
      });
    });
}

/** Small string→string maps (external ids, self-described background). */
export const stringMap = (maxKeys: number, maxValue: number) =>
  z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'keys are 1–40 letters, digits, _ . -'),
      text(maxValue),
    )
    .refine((map) => Object.keys(map).length <= maxKeys, `at most ${maxKeys} entries`);

/** Metadata every stored entity carries. `version` backs ETag / If-Match. */
export const entityMeta = {
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.int().min(1),
};

export interface EntityMeta {
  createdAt: string;
  updatedAt: string;
  version: number;
}
