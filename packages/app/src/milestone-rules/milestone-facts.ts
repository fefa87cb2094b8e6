import {
  agreementWasHonoured,
  goalsAllAchieved,
  type Meeting,
  type MilestoneFacts,
  type MilestoneRuleKind,
  type Relationship,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';

const attended = (meeting: Meeting, personId: string) =>
  meeting.status === 'held' &&
  (meeting.attendance ?? []).every((entry) => entry.personId !== personId || entry.attended);

/**
 * Reads, for one person, the facts the given rule kinds ask about: counted from the stored
 * relationships, meetings, goals and agreements, never from the event at hand, so any event (or
 * the same one twice, or events in any order) leads to the same answer. Only what the kinds need
 * is read.
 */
export async function milestoneFacts(
  ctx: TenantContext,
  personId: string,
  programId: string,
  relationships: Relationship[],
  kinds: ReadonlySet<MilestoneRuleKind>,
): Promise<MilestoneFacts> {
  const { store } = ctx;
  const inProgram = relationships.filter((r) => r.programId === programId);
  const meetingsOf = new Map<string, Promise<Meeting[]>>();
  const meetings = (relationshipId: string) => {
    if (!meetingsOf.has(relationshipId)) meetingsOf.set(relationshipId, store.meetings.all(relationshipId));
    return meetingsOf.get(relationshipId)!;
  };
  const needs = (...wanted: MilestoneRuleKind[]) => wanted.some((kind) => kinds.has(kind));

  let meetingsHeld = 0;
  if (needs('first_meeting_held', 'meetings_held'))
    for (const r of inProgram)
      meetingsHeld += (await meetings(r.id)).filter((m) => attended(m, personId)).length;

  let goalsCompleted = false;
  if (needs('all_goals_completed'))
    for (const r of inProgram) if (goalsAllAchieved(await store.goals.all(r.id))) goalsCompleted = true;

  let agreementHonoured = false;
  if (needs('agreement_honoured'))
    for (const r of inProgram.filter((x) => x.status === 'completed')) {
      const held = (await meetings(r.id)).filter((m) => m.status === 'held').length;
      if (agreementWasHonoured(r, await store.agreements.get(r.id), held)) agreementHonoured = true;
    }

  const mentees = new Set<string>();
  if (needs('mentored_people'))
    for (const r of relationships)
      if (r.status === 'completed' && r.members.some((m) => m.personId === personId && m.role === 'mentor'))
        for (const m of r.members) if (m.role === 'mentee') mentees.add(m.personId);

  return {
    meetingsHeld,
    goalsCompleted,
    agreementHonoured,
    programCompleted: inProgram.some((r) => r.status === 'completed'),
    mentoredPeople: mentees.size,
  };
}
