import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MentorCards } from '../src/mentor-cards.ts';
import { compileProgram, ROLE_MENTEE, ROLE_MENTOR } from '../src/profiles.ts';
import { mulberry32 } from '../src/random.ts';
import { allowed } from '../src/rules.ts';
import { pairScore } from '../src/score.ts';
import type { Participant } from '../src/types.ts';
import { randomParticipants, ruleSettings, shapes } from './generators.ts';

/**
 * Background keys that normalize alike ("Country" and "country "), so that some people hold a key
 * twice, and fractional levels and offsets: the cases where the cards must follow the merges of
 * `pairScore` exactly.
 */
function withAwkwardAttributes(people: Participant[], seed: number): Participant[] {
  const rng = mulberry32(seed);
  return people.map((person) => {
    const background = { ...person.background };
    if (rng() < 0.4) background['Country '] = rng() < 0.5 ? 'BR' : 'PT';
    return {
      ...person,
      background,
      utcOffsetMinutes: rng() < 0.3 ? -1439.5 + rng() * 2879 : person.utcOffsetMinutes,
      skillsOffered: person.skillsOffered?.map((skill) => ({
        ...skill,
        level: Math.min(5, skill.level + rng() * 0.9),
      })),
    };
  });
}

describe('mentor cards', () => {
  it('score and check every mentor–mentee pair exactly as pairScore and allowed do', () => {
    fc.assert(
      fc.property(shapes(30, 2), ruleSettings, fc.boolean(), (shape, rules, awkward) => {
        let people = randomParticipants(shape, 'one_to_one');
        if (awkward) people = withAwkwardAttributes(people, shape.seed);
        const cp = compileProgram({ participants: people, settings: { format: 'one_to_one', ...rules } });
        const mentors = Int32Array.from(cp.role.keys()).filter((j) => cp.role[j] === ROLE_MENTOR);
        const cards = new MentorCards(cp, mentors);
        // Rows in turn, and one again after others, so that a row's tables are replaced in full.
        const rows = [...cp.role.keys()].filter((i) => cp.role[i] === ROLE_MENTEE);
        for (const i of [...rows, ...rows.slice(0, 1)]) {
          cards.useRow(i);
          mentors.forEach((j, c) => {
            expect(cards.score(c)).toBe(pairScore(cp, j, i));
            expect(cards.allowed(c)).toBe(allowed(cp, j, i));
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuse a row that is not a mentee', () => {
    const people = randomParticipants({ seed: 3, n: 12 }, 'one_to_one');
    const cp = compileProgram({ participants: people, settings: { format: 'one_to_one' } });
    const mentor = cp.role.indexOf(ROLE_MENTOR);
    const cards = new MentorCards(cp, Int32Array.of(mentor));
    expect(() => cards.useRow(mentor)).toThrow(/mentees/);
  });
});
