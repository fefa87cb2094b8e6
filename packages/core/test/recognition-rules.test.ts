import { describe, expect, test } from 'vitest';
import {
  agreementWasHonoured,
  canSeeKudos,
  goalsAllAchieved,
  kudosDay,
  type MilestoneFacts,
  ruleReached,
} from '../src/index.ts';

const none: MilestoneFacts = {
  meetingsHeld: 0,
  goalsCompleted: false,
  agreementHonoured: false,
  programCompleted: false,
  mentoredPeople: 0,
};

describe('milestone rules', () => {
  test('counted kinds cross at exactly their count', () => {
    for (const kind of ['meetings_held', 'mentored_people'] as const) {
      const field = kind === 'meetings_held' ? 'meetingsHeld' : 'mentoredPeople';
      expect(ruleReached({ kind, count: 3 }, { ...none, [field]: 2 })).toBe(false);
      expect(ruleReached({ kind, count: 3 }, { ...none, [field]: 3 })).toBe(true);
    }
    expect(ruleReached({ kind: 'first_meeting_held' }, none)).toBe(false);
    expect(ruleReached({ kind: 'first_meeting_held' }, { ...none, meetingsHeld: 1 })).toBe(true);
    expect(ruleReached({ kind: 'program_completed' }, { ...none, programCompleted: true })).toBe(true);
    expect(ruleReached({ kind: 'all_goals_completed' }, { ...none, programCompleted: true })).toBe(false);
  });

  test('all goals achieved sets abandoned goals aside but needs one achieved', () => {
    expect(goalsAllAchieved([])).toBe(false);
    expect(goalsAllAchieved([{ status: 'abandoned' }])).toBe(false);
    expect(goalsAllAchieved([{ status: 'achieved' }, { status: 'abandoned' }])).toBe(true);
    expect(goalsAllAchieved([{ status: 'achieved' }, { status: 'in_progress' }])).toBe(false);
  });

  test('an agreement is honoured by a completed relationship, accepted by all, meeting at its cadence', () => {
    const relationship = {
      status: 'completed' as const,
      members: [
        { personId: 'a', role: 'peer' as const },
        { personId: 'b', role: 'peer' as const },
      ],
      createdAt: '2030-01-01T00:00:00.000Z',
      startedAt: '2030-01-01T00:00:00.000Z',
      endedAt: '2030-01-29T00:00:00.000Z',
    };
    const accepted = { acceptances: { a: '2030-01-01', b: '2030-01-02' } };
    const biweekly = { ...accepted, cadence: { every: 2, unit: 'weeks' as const } };
    expect(agreementWasHonoured(relationship, accepted, 0)).toBe(true);
    expect(agreementWasHonoured(relationship, biweekly, 1)).toBe(false);
    expect(agreementWasHonoured(relationship, biweekly, 2)).toBe(true);
    expect(agreementWasHonoured(relationship, { acceptances: { a: '2030-01-01' } }, 5)).toBe(false);
    expect(agreementWasHonoured({ ...relationship, status: 'dissolved' }, accepted, 5)).toBe(false);
    expect(agreementWasHonoured(relationship, undefined, 5)).toBe(false);
  });
});

describe('kudos', () => {
  test('the day a send counts against renews at the next UTC midnight', () => {
    expect(kudosDay(new Date('2031-03-10T23:59:59.999Z'))).toEqual({
      day: '2031-03-10',
      renewsAt: new Date('2031-03-11T00:00:00.000Z'),
    });
    expect(kudosDay(new Date('2031-12-31T12:00:00.000Z')).renewsAt.toISOString()).toBe(
      '2032-01-01T00:00:00.000Z',
    );
  });

  test('visibility: sender and recipient always, the organization, or the program’s enrolled', () => {
    const base = { senderId: 's', recipientId: 'r', programId: 'p' };
    const enrolled = new Set(['p']);
    const elsewhere = new Set(['q']);
    expect(canSeeKudos({ ...base, visibility: 'recipient' }, 'r', elsewhere)).toBe(true);
    expect(canSeeKudos({ ...base, visibility: 'recipient' }, 's', elsewhere)).toBe(true);
    expect(canSeeKudos({ ...base, visibility: 'recipient' }, 'x', enrolled)).toBe(false);
    expect(canSeeKudos({ ...base, visibility: 'program' }, 'x', enrolled)).toBe(true);
    expect(canSeeKudos({ ...base, visibility: 'program' }, 'x', elsewhere)).toBe(false);
    expect(canSeeKudos({ ...base, visibility: 'organization' }, 'x', elsewhere)).toBe(true);
  });
});
