import * as z from 'zod';
import { isoDateTime } from './common.ts';
import { idSchema } from './id-schema.ts';
import type { Person } from './person.ts';

/** What an erased person's name reads from then on. */
export const ERASED_NAME = 'Erased person';
/** What erased free text and identifiers read from then on. */
export const ERASED_TEXT = '[erased]';
/** An erased person's email: unique, valid, and undeliverable (RFC 2606 reserves `.invalid`). */
export const erasedEmail = (personId: string) => `${personId}@erased.invalid`;

export const exportSection = z
  .strictObject({
    name: z.string().meta({
      description:
        'The area: profile, externalIds, provisioning, enrollments, relationships, agreements, goals, meetings, privateNotes, feedbackGiven, feedbackReceived, reflections, milestones, rematchRequests, surveys, posts, kudos, recognition (nominations and awards), milestonesEarned, hrisRecords, trainingRecords, calendarFeed, auditEntries, events',
      example: 'goals',
    }),
    items: z.array(z.record(z.string(), z.unknown())).meta({
      description: "The area's records as Tandem stores them, without storage keys",
    }),
  })
  .meta({ id: 'PersonExportSection' });

export const personExport = z
  .strictObject({
    personId: idSchema('person'),
    exportedAt: isoDateTime,
    sections: z.array(exportSection).meta({
      description:
        'One section per area, always in the same order; an area with nothing about the person has an empty `items`',
    }),
  })
  .meta({
    id: 'PersonExport',
    description:
      'Everything Tandem holds about one person: their profile and lookups, what they wrote and what was written about them in their relationships (their own private notes only), their community posts, training, the audit entries naming them and the events (within the event retention) mentioning them.',
  });
export type PersonExport = z.infer<typeof personExport>;

export const erasureStatuses = ['running', 'completed'] as const;

export const erasure = z
  .strictObject({
    personId: idSchema('person'),
    status: z.enum(erasureStatuses).meta({
      description: '`running` when a previous call stopped mid-way: repeat the call to finish it',
    }),
    step: z.string().meta({ description: 'The area being erased, or the last one when completed' }),
    stepsDone: z.int().min(0),
    stepsTotal: z.int().min(1),
    itemsRewritten: z.int().min(0).meta({ description: 'Items pseudonymized, scrubbed or deleted so far' }),
    startedAt: isoDateTime,
    completedAt: isoDateTime.optional(),
    version: z.int().min(1),
  })
  .meta({ id: 'Erasure' });
export type Erasure = z.infer<typeof erasure>;

/**
 * The values an erasure removes wherever they appear in text (outbox payloads, other members'
 * notes that name the person, queued webhook payloads), each with what replaces it. Longest
 * first, so a name is replaced before a shorter identifier that is part of it.
 */
export function erasedValues(
  p: Pick<Person, 'id' | 'name' | 'email' | 'externalIds' | 'careerGoals'>,
  ownTexts: readonly string[] = [],
) {
  const identifiers: [string, string][] = [
    [p.name, ERASED_NAME],
    [p.email, erasedEmail(p.id)],
    ...Object.values(p.externalIds ?? {}).map((value): [string, string] => [value, ERASED_TEXT]),
  ];
  // Their own short texts (career and enrollment goals) are quoted elsewhere, in match explanations;
  // short ones are left alone, since replacing a common word would rewrite other people's text.
  const texts = [...p.careerGoals, ...ownTexts]
    .filter((text) => text.trim().length >= MIN_QUOTED_TEXT)
    .map((text): [string, string] => [text, ERASED_TEXT]);
  return [...identifiers.filter(([value]) => value.trim().length >= 3), ...texts].sort(
    ([a], [b]) => b.length - a.length,
  );
}

/** The shortest own text an erasure looks for in other records. */
export const MIN_QUOTED_TEXT = 8;

const literal = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `value` with every case-insensitive occurrence of the erased values replaced, walking arrays and
 * objects; undefined when nothing changed (so callers write only what they must).
 */
export function scrubValue(value: unknown, values: readonly [string, string][]): unknown {
  if (values.length === 0) return undefined;
  const pattern = new RegExp(values.map(([v]) => literal(v)).join('|'), 'gi');
  const replacement = new Map(values.map(([v, r]) => [v.toLowerCase(), r]));
  const walk = (current: unknown): { changed: boolean; value: unknown } => {
    if (typeof current === 'string') {
      const next = current.replace(pattern, (match) => replacement.get(match.toLowerCase()) ?? ERASED_TEXT);
      return { changed: next !== current, value: next };
    }
    if (Array.isArray(current)) {
      const parts = current.map(walk);
      return { changed: parts.some((p) => p.changed), value: parts.map((p) => p.value) };
    }
    if (current instanceof Set) {
      const parts = [...current].map(walk);
      return { changed: parts.some((p) => p.changed), value: new Set(parts.map((p) => p.value)) };
    }
    if (current && typeof current === 'object' && !(current instanceof Uint8Array)) {
      const entries = Object.entries(current).map(([k, v]) => [k, walk(v)] as const);
      return {
        changed: entries.some(([, p]) => p.changed),
        value: Object.fromEntries(entries.map(([k, p]) => [k, p.value])),
      };
    }
    return { changed: false, value: current };
  };
  const result = walk(value);
  return result.changed ? result.value : undefined;
}

/** Whether `value` mentions the person: their id, or one of the erased values, anywhere in it. */
export function mentions(value: unknown, personId: string, values: readonly [string, string][]): boolean {
  const text = JSON.stringify(value, (_, v) => (v instanceof Set ? [...v] : v)).toLowerCase();
  return text.includes(personId) || values.some(([v]) => text.includes(v.toLowerCase()));
}
