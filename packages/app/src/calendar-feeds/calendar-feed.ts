import type { Meeting } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';

export interface CalendarEntry {
  meeting: Meeting;
  programName: string;
}

/**
 * What a person's calendar feed shows: every meeting of their relationships that is on (scheduled)
 * or took place (held, no-show), soonest first. Cancelled meetings drop out, so subscribed
 * calendars remove them; so do meetings still scheduled in a relationship that has since ended.
 */
export async function calendarFeedEntries(ctx: ActorContext): Promise<CalendarEntry[]> {
  const personId = participantOf(ctx.actor);
  const relationships = await ctx.store.relationships.ofPerson(personId);
  const programIds = [...new Set(relationships.map((r) => r.programId))];
  const [programs, meetings] = await Promise.all([
    Promise.all(programIds.map((id) => ctx.store.programs.get(id))),
    Promise.all(relationships.map((r) => ctx.store.meetings.all(r.id))),
  ]);
  const programNames = new Map(programs.map((p) => [p.id, p.name]));
  return relationships
    .flatMap((relationship, i) => {
      const ended = relationship.status === 'completed' || relationship.status === 'dissolved';
      return meetings[i]!.filter((m) => m.status !== 'cancelled' && !(ended && m.status === 'scheduled')).map(
        (meeting) => ({ meeting, programName: programNames.get(relationship.programId) ?? 'Mentoring' }),
      );
    })
    .sort((a, b) => a.meeting.startsAt.localeCompare(b.meeting.startsAt));
}
