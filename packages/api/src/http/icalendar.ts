import type { CalendarEntry } from '@tandem/app';

/**
 * A person's meetings as an RFC 5545 calendar. Times are written in UTC (`DTSTART:…Z`): the
 * stored instant is what the members agreed on, every client shows it in its viewer's zone, and
 * no time zone rules travel in the feed that could go stale. Each meeting keeps one UID, and its
 * SEQUENCE grows with every change, so clients update the event in place.
 *
 * ical-generator loads on the first feed a calendar app polls: few requests render a feed, so a
 * cold start of the API function neither reads nor compiles it (bundle.ts makes it a chunk).
 */
export async function renderCalendar(entries: CalendarEntry[], now: Date): Promise<string> {
  const { default: ical, ICalCalendarMethod, ICalEventStatus } = await import('ical-generator');
  const calendar = ical({
    name: 'Tandem meetings',
    prodId: { company: 'Tandem', product: 'Tandem', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    // Calendar apps poll a subscribed feed; this asks them to do so hourly.
    ttl: 3600,
  });
  for (const { meeting, programName } of entries) {
    const start = new Date(meeting.startsAt);
    calendar.createEvent({
      id: `${meeting.id}@tandem`,
      start,
      end: new Date(start.getTime() + meeting.durationMinutes * 60_000),
      stamp: now,
      created: new Date(meeting.createdAt),
      lastModified: new Date(meeting.updatedAt),
      sequence: meeting.version - 1,
      summary: `${programName}: mentoring meeting`,
      status: ICalEventStatus.CONFIRMED,
      ...(meeting.agenda ? { description: meeting.agenda } : {}),
      ...(meeting.location ? { location: meeting.location } : {}),
      ...(meeting.link ? { url: meeting.link } : {}),
    });
  }
  return calendar.toString();
}
