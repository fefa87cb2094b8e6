import { csvLine, type Meeting, type Relationship } from '@tandem/core';
import type { TenantContext } from '../context.ts';

const PAGE = 100;

const relationshipColumns = [
  'id',
  'status',
  'source',
  'memberIds',
  'roles',
  'score',
  'startedAt',
  'activatedAt',
  'endedAt',
  'endReason',
] as const;

const meetingColumns = [
  'id',
  'relationshipId',
  'status',
  'startsAt',
  'timeZone',
  'durationMinutes',
  'location',
  'attended',
  'absent',
  'topics',
  'sharedNotes',
  'loggedAt',
] as const;

const relationshipRow = (r: Relationship) =>
  csvLine([
    r.id,
    r.status,
    r.source,
    r.members.map((m) => m.personId).join(' '),
    r.members.map((m) => m.role).join(' '),
    r.score,
    r.startedAt,
    r.activatedAt,
    r.endedAt,
    r.endReason,
  ]);

// Private notes live in items of their own and are never read here; shared notes are the members'
// record for the program's admins, who may read them anyway.
const meetingRow = (m: Meeting) =>
  csvLine([
    m.id,
    m.relationshipId,
    m.status,
    m.startsAt,
    m.timeZone,
    m.durationMinutes,
    m.location,
    m.attendance
      ?.filter((a) => a.attended)
      .map((a) => a.personId)
      .join(' '),
    m.attendance
      ?.filter((a) => !a.attended)
      .map((a) => a.personId)
      .join(' '),
    m.topics?.join('; '),
    m.sharedNotes,
    m.loggedAt,
  ]);

/** A program's relationships a page at a time, so an export holds one page in memory. */
async function* relationshipsOf(ctx: TenantContext, programId: string) {
  let cursor: string | undefined;
  do {
    const page = await ctx.store.relationships.list({ programId }, { limit: PAGE, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * The CSV export of a program's relationships, as lines to stream. The program is read before
 * anything is returned, so a missing one is a 404, not a broken stream.
 */
export async function exportRelationships(
  ctx: TenantContext,
  programId: string,
): Promise<AsyncIterable<string>> {
  await ctx.store.programs.get(programId);
  return (async function* () {
    yield csvLine(relationshipColumns);
    for await (const r of relationshipsOf(ctx, programId)) yield relationshipRow(r);
  })();
}

/** The CSV export of a program's meetings (never private notes), relationship by relationship. */
export async function exportMeetings(ctx: TenantContext, programId: string): Promise<AsyncIterable<string>> {
  await ctx.store.programs.get(programId);
  return (async function* () {
    yield csvLine(meetingColumns);
    for await (const r of relationshipsOf(ctx, programId))
      for (const m of await ctx.store.meetings.all(r.id)) yield meetingRow(m);
  })();
}
