import * as z from 'zod';
import { entityMeta, isoDateTime, plainTextMessage, plainTextPattern, text, timeZone } from './common.ts';
import { ConflictError, type FieldError, InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import type { Relationship } from './relationship.ts';

/** A meeting is scheduled, then logged once with what happened. */
export const meetingStatuses = ['scheduled', 'held', 'cancelled', 'no_show'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];
export const meetingOutcomes = ['held', 'cancelled', 'no_show'] as const;

const meetingFields = {
  startsAt: isoDateTime.meta({
    description: 'When the meeting starts, as an instant (stored and returned in UTC, to the second)',
    example: '2027-03-30T08:00:00Z',
  }),
  // The zone of whoever scheduled it, for showing the time as they meant it.
  timeZone,
  durationMinutes: z.int().min(5).max(480).meta({ example: 45 }),
  location: text(200)
    .optional()
    .meta({ description: 'Where the members meet in person', example: 'Room 4.12' }),
  link: z
    .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
    .max(2048)
    .regex(plainTextPattern, plainTextMessage)
    .optional()
    .meta({
      description: 'A video call link (http or https)',
      example: 'https://meet.example.com/abc-defg',
      format: 'uri',
      // What the URL rule accepts, stated for clients (as for webhook endpoint URLs): a DNS name that
      // WHATWG URL parsing keeps, an optional port, printable ASCII after it.
      pattern: String.raw`^https?://(?![^/?#]*[xX][nN]--)(?=[^/?#:]{1,253}(?:[:/?#]|$))(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z](?:[-0-9a-zA-Z]{0,61}[0-9a-zA-Z])?\.?(?::[0-9]{1,4})?(?:[/?#][!-~]*)?$`,
    }),
  agenda: text(2000).optional().meta({ example: 'Review the first goal; plan the next two weeks' }),
};

export const meetingInput = z.strictObject(meetingFields).meta({ id: 'MeetingInput' });
export type MeetingInput = z.infer<typeof meetingInput>;
export const meetingPatch = mergePatchSchema(meetingFields).meta({ id: 'MeetingPatch' });

export const attendance = z
  .array(z.strictObject({ personId: idSchema('person'), attended: z.boolean() }).meta({ id: 'Attendance' }))
  .max(20);

export const meetingLogInput = z
  .strictObject({
    outcome: z.enum(meetingOutcomes),
    attendance: attendance.default([]).meta({
      description:
        'One entry per member when the outcome is `held` (two or more attended) or `no_show` (someone did not); empty when `cancelled`',
    }),
    topics: z.array(text(200)).max(20).default([]),
    sharedNotes: text(10_000)
      .optional()
      .meta({ description: "Notes every member and the program's admins can read" }),
  })
  .meta({ id: 'MeetingLog' });
export type MeetingLogInput = z.infer<typeof meetingLogInput>;

export const meeting = z
  .strictObject({
    id: idSchema('meeting'),
    relationshipId: idSchema('relationship'),
    status: z.enum(meetingStatuses),
    ...meetingFields,
    scheduledBy: idSchema('person')
      .optional()
      .meta({ description: 'The member who scheduled it; absent when an admin did' }),
    attendance: attendance.optional(),
    topics: z.array(z.string()).optional(),
    sharedNotes: z.string().optional(),
    loggedAt: isoDateTime.optional(),
    ...entityMeta,
  })
  .meta({ id: 'Meeting' });
export type Meeting = z.infer<typeof meeting>;

/** A relationship takes meetings until it ended (active, and any status before active). */
export function assertOpenForMeetings(relationship: Pick<Relationship, 'id' | 'status'>) {
  if (relationship.status === 'completed' || relationship.status === 'dissolved')
    throw new ConflictError(
      `Relationship ${relationship.id} is ${relationship.status}; it takes no meetings`,
    );
}

export function assertScheduled(current: Pick<Meeting, 'id' | 'status'>) {
  if (current.status !== 'scheduled')
    throw new ConflictError(`Meeting ${current.id} was already logged ${current.status}`);
}

/**
 * Start instants are kept in one spelling (UTC), so they sort as strings, and to the whole second,
 * which is as fine as iCalendar (and so every subscribed calendar) can state a time.
 */
export const utcInstant = (value: string) =>
  new Date(Math.floor(Date.parse(value) / 1000) * 1000).toISOString();

/**
 * What a log must say, given the members: attendance names members only, each once; a held
 * meeting names every member and two or more attended; a no-show names every member and someone
 * missed it; a cancelled meeting has no attendance. Held and no-show are facts about a start
 * that has passed.
 */
export function checkMeetingLog(
  log: MeetingLogInput,
  current: Pick<Meeting, 'startsAt'>,
  memberIds: string[],
  now: Date,
): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  log.attendance.forEach((entry, i) => {
    if (!memberIds.includes(entry.personId))
      errors.push({ field: `/attendance/${i}/personId`, message: 'is not a member of this relationship' });
    else if (seen.has(entry.personId))
      errors.push({ field: `/attendance/${i}/personId`, message: 'is listed twice' });
    seen.add(entry.personId);
  });
  if (log.outcome === 'cancelled' && log.attendance.length)
    errors.push({ field: '/attendance', message: 'must be empty for a cancelled meeting' });
  if (log.outcome !== 'cancelled') {
    const missing = memberIds.filter((id) => !seen.has(id));
    if (missing.length)
      errors.push({ field: '/attendance', message: `must name every member (${missing.join(', ')})` });
    const attended = log.attendance.filter((entry) => entry.attended).length;
    if (log.outcome === 'held' && attended < 2)
      errors.push({ field: '/attendance', message: 'a held meeting has two or more members who attended' });
    if (log.outcome === 'no_show' && attended === log.attendance.length)
      errors.push({ field: '/attendance', message: 'a no-show has a member who did not attend' });
    if (Date.parse(current.startsAt) > now.getTime())
      errors.push({ field: '/outcome', message: `cannot be ${log.outcome} before the meeting starts` });
  }
  if (errors.length) throw new InvalidInputError('The log does not fit the meeting', errors);
}

/** What only its author reads: never shown to admins, never in events, webhooks or exports. */
export const privateNoteInput = z
  .strictObject({ text: text(10_000).meta({ example: 'Ask about the promotion next time' }) })
  .meta({ id: 'PrivateNoteInput' });

export const privateNote = z
  .strictObject({
    meetingId: idSchema('meeting'),
    relationshipId: idSchema('relationship'),
    text: z.string(),
    ...entityMeta,
  })
  .meta({ id: 'PrivateNote' });
export type PrivateNote = z.infer<typeof privateNote>;
