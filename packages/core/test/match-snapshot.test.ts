import { describe, expect, test } from 'vitest';
import { takeMatchSnapshot } from '../src/index.ts';

describe('the snapshot of a match', () => {
  test('a mentee’s wanted skill is covered when the mentor offers it above the mentee’s level', () => {
    const snapshot = takeMatchSnapshot([
      {
        id: 'per_mentor',
        role: 'mentor',
        department: 'Engineering',
        skillsOffered: [
          { name: 'TypeScript', level: 5 },
          { name: 'SQL', level: 2 },
        ],
        skillsWanted: [{ name: 'Negotiation' }],
      },
      {
        id: 'per_mentee',
        role: 'mentee',
        department: ' Sales ',
        skillsOffered: [{ name: 'sql', level: 2 }],
        skillsWanted: [{ name: ' typescript ' }, { name: 'SQL' }, { name: 'Public  speaking' }],
      },
    ]);
    expect(snapshot.members).toEqual([
      // Mentors teach: their own wishes are not what the match is for (as in the matcher).
      { personId: 'per_mentor', crossDepartment: true, wantedSkills: 0, wantedSkillsCovered: 0 },
      // TypeScript at 5 covers; SQL at 2 does not lift a mentee already at 2; nobody offers speaking.
      { personId: 'per_mentee', crossDepartment: true, wantedSkills: 3, wantedSkillsCovered: 1 },
    ]);
  });

  test('an unknown department is never cross-department; a circle is when any two known differ', () => {
    const peer = (id: string, department?: string) => ({ id, role: 'peer' as const, department });
    expect(
      takeMatchSnapshot([peer('per_a', 'Sales'), peer('per_b')]).members.map((m) => m.crossDepartment),
    ).toEqual([false, false]);
    expect(
      takeMatchSnapshot([
        peer('per_a', 'Sales'),
        peer('per_b', 'Sales'),
        peer('per_c', 'Legal'),
        peer('per_d'),
      ]).members.map((m) => m.crossDepartment),
    ).toEqual([true, true, true, false]);
  });
});
