import * as z from 'zod';
import { entityMeta, isoDateTime, plainTextMessage, plainTextPattern, text } from './common.ts';
import { ConflictError } from './errors.ts';
import { idSchema } from './id-schema.ts';

/** A `#rrggbb` colour of a generated badge. */
const colour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour')
  .meta({ example: '#1f6feb', maxLength: 7 });

/**
 * The badge of an award type: an SVG Tandem draws from the name and two colours (served by
 * `GET /v1/award-types/{id}/badge.svg`), or an image the organization hosts, by https URL.
 */
export const badge = z
  .discriminatedUnion('kind', [
    z
      .strictObject({
        kind: z.literal('generated'),
        background: colour.default('#1f6feb'),
        foreground: colour.default('#ffffff'),
      })
      .meta({ id: 'GeneratedBadge', description: 'An SVG drawn from the award name and these colours' }),
    z
      .strictObject({
        kind: z.literal('image'),
        url: z
          .url({ protocol: /^https$/, hostname: z.regexes.hostname })
          .max(2048)
          .regex(plainTextPattern, plainTextMessage)
          .meta({ format: 'uri', example: 'https://cdn.example.com/badges/mentor-of-the-year.png' }),
      })
      .meta({
        id: 'ImageBadge',
        description: 'An image the organization hosts (https); Tandem stores only the URL',
      }),
  ])
  .meta({ id: 'Badge' });
export type Badge = z.infer<typeof badge>;

const awardTypeFields = {
  name: text(120).meta({ example: 'Mentor of the quarter' }),
  criteria: text(2000).meta({ example: 'Held every planned meeting and helped a mentee reach a goal' }),
  badge: badge.default({ kind: 'generated', background: '#1f6feb', foreground: '#ffffff' }),
  requiresApproval: z
    .boolean()
    .default(true)
    .meta({ description: 'Nominations wait for an admin to approve them before anything is awarded' }),
  certificate: z.boolean().default(true).meta({ description: 'Each award comes with a PDF certificate' }),
};

export const awardTypeInput = z.strictObject(awardTypeFields).meta({ id: 'AwardTypeInput' });
export type AwardTypeInput = z.infer<typeof awardTypeInput>;

export const awardType = z
  .strictObject({ id: idSchema('awardType'), ...awardTypeFields, ...entityMeta })
  .meta({ id: 'AwardType' });
export type AwardType = z.infer<typeof awardType>;

export const nominationStatuses = ['pending', 'approved', 'rejected'] as const;
export type NominationStatus = (typeof nominationStatuses)[number];

export const nominationInput = z
  .strictObject({
    personId: idSchema('person'),
    awardTypeId: idSchema('awardType'),
    programId: idSchema('program')
      .optional()
      .meta({ description: 'The program the award recognizes work in' }),
    reason: text(2000).meta({ example: 'Dana ran every meeting with a clear agenda and follow-ups' }),
  })
  .meta({ id: 'NominationInput' });
export type NominationInput = z.infer<typeof nominationInput>;

export const nominationDecision = z
  .strictObject({ note: text(1000).optional().meta({ description: 'Why; shown to the nominator' }) })
  .meta({ id: 'NominationDecision' });

export const nomination = z
  .strictObject({
    id: idSchema('nomination'),
    personId: idSchema('person'),
    awardTypeId: idSchema('awardType'),
    programId: idSchema('program').optional(),
    reason: text(2000),
    nominatedBy: z
      .strictObject({ kind: z.enum(['admin', 'participant']), personId: idSchema('person').optional() })
      .meta({ description: 'An admin (API key) or the participant who nominated' }),
    status: z.enum(nominationStatuses),
    decisionNote: text(1000).optional(),
    decidedAt: isoDateTime.optional(),
    awardId: idSchema('award').meta({ description: 'The award this nomination becomes once approved' }),
    ...entityMeta,
  })
  .meta({ id: 'Nomination' });
export type Nomination = z.infer<typeof nomination>;

/**
 * granting: the recognition workflow is awarding it (and rendering the certificate); awarded: done,
 * announced as `recognition.awarded`; failed: a step failed after its retries (see `failure`).
 */
export const awardStatuses = ['granting', 'awarded', 'failed'] as const;
export type AwardStatus = (typeof awardStatuses)[number];

export const awardSource = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('nomination'), nominationId: idSchema('nomination') }),
    z.strictObject({
      kind: z.literal('milestone'),
      ruleId: z.string().min(1).max(64),
      milestone: z.string().min(1).max(200),
    }),
  ])
  .meta({ id: 'AwardSource' });
export type AwardSource = z.infer<typeof awardSource>;

export const award = z
  .strictObject({
    id: idSchema('award'),
    personId: idSchema('person'),
    awardTypeId: idSchema('awardType'),
    programId: idSchema('program').optional(),
    source: awardSource,
    status: z.enum(awardStatuses),
    awardedAt: isoDateTime.optional(),
    certificate: z
      .strictObject({ renderedAt: isoDateTime, bytes: z.int().min(1) })
      .optional()
      .meta({ description: 'Set once the PDF certificate exists: GET /v1/awards/{id}/certificate' }),
    failure: z
      .strictObject({ step: z.string(), error: z.string(), cause: z.string().optional(), at: isoDateTime })
      .optional()
      .meta({ description: 'Why the recognition workflow failed, after its retries' }),
    ...entityMeta,
  })
  .meta({ id: 'Award' });
export type Award = z.infer<typeof award>;

/** Only a pending nomination can be decided, and only once. */
export function assertNominationPending(value: Nomination): void {
  if (value.status !== 'pending')
    throw new ConflictError(`Nomination ${value.id} was already ${value.status}`);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const escapeXml = (value: string) => value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** Up to two initials of the name: what fits in the badge's circle. */
function initialsOf(name: string): string {
  const words = name.split(/\s+/).filter((word) => /\p{L}|\p{N}/u.test(word));
  return words
    .slice(0, 2)
    .map((word) => [...word][0]!.toUpperCase())
    .join('');
}

/**
 * The generated badge: a circle in the background colour with the name's initials, and the name
 * as the accessible title. Every text is XML-escaped, and the colours passed the #rrggbb rule,
 * so an award name can never add markup or script to the SVG.
 */
export function badgeSvg(name: string, background: string, foreground: string): string {
  const title = escapeXml(name);
  const initials = escapeXml(initialsOf(name));
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128" role="img">',
    `<title>${title}</title>`,
    `<circle cx="64" cy="64" r="60" fill="${background}" stroke="${foreground}" stroke-width="6"/>`,
    `<text x="64" y="78" text-anchor="middle" font-family="sans-serif" font-size="40" font-weight="bold" fill="${foreground}">${initials}</text>`,
    '</svg>',
  ].join('');
}
