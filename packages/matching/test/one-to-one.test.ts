import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveOneToOne } from '../src/one-to-one.ts';
import { compileProgram } from '../src/profiles.ts';
import { allowed } from '../src/rules.ts';
import { pairScore } from '../src/score.ts';
import { randomParticipants, ruleSettings, shapes } from './generators.ts';

type Best = { count: number; weight: number };

function bruteForce(cp: ReturnType<typeof compileProgram>, cardinalityFirst: boolean): Best {
  const mentees = [...cp.ids.keys()].filter((i) => cp.role[i] === 1);
  const mentors = [...cp.ids.keys()].filter((i) => cp.role[i] === 0);
  const left = new Map(mentors.map((j) => [j, cp.capacity[j]!]));
  let best: Best = { count: 0, weight: 0 };
  const better = (a: Best, b: Best) =>
    cardinalityFirst
      ? a.count > b.count || (a.count === b.count && a.weight > b.weight + 1e-12)
      : a.weight > b.weight + 1e-12;
  const go = (t: number, count: number, weight: number) => {
    if (t === mentees.length) {
      if (better({ count, weight }, best)) best = { count, weight };
      return;
    }
    go(t + 1, count, weight);
    const i = mentees[t]!;
    for (const j of mentors) {
      if (left.get(j)! === 0 || !allowed(cp, j, i)) continue;
      left.set(j, left.get(j)! - 1);
      go(t + 1, count + 1, weight + pairScore(cp, j, i));
      left.set(j, left.get(j)! + 1);
    }
  };
  go(0, 0, 0);
  return best;
}

describe('one_to_one assignment', () => {
  it('equals brute force in both objective modes, with any candidate count, and proves it', () => {
    fc.assert(
      fc.property(
        shapes(9),
        ruleSettings,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (shape, rules, k, cardinalityFirst) => {
          const participants = randomParticipants(shape, 'one_to_one');
          const cp = compileProgram({
            participants,
            settings: {
              format: 'one_to_one',
              ...rules,
              candidates: k,
              objective: cardinalityFirst ? 'cardinality_then_weight' : 'weight',
            },
          });
          const solution = solveOneToOne(cp);
          const expected = bruteForce(cp, cardinalityFirst);
          expect(solution.provedOptimal).toBe(true);
          expect(solution.total).toBeCloseTo(expected.weight, 9);
          const load = new Map<number, number>();
          let count = 0;
          let total = 0;
          solution.mentorOf.forEach((mentor, mentee) => {
            if (mentor < 0) return;
            count++;
            expect(allowed(cp, mentor, mentee)).toBe(true);
            load.set(mentor, (load.get(mentor) ?? 0) + 1);
            total += pairScore(cp, mentor, mentee);
          });
          for (const [mentor, used] of load) expect(used).toBeLessThanOrEqual(cp.capacity[mentor]!);
          expect(total).toBeCloseTo(expected.weight, 9);
          if (cardinalityFirst) expect(count).toBe(expected.count);
        },
      ),
      { numRuns: 400 },
    );
  });
});
