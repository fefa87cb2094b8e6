import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { galeShapley } from '../src/gale-shapley.ts';
import { compileProgram } from '../src/profiles.ts';
import { stableRoommates } from '../src/roommates.ts';
import { allowed } from '../src/rules.ts';
import { preferenceList, runMatching } from '../src/run.ts';
import { randomParticipants, shapes } from './generators.ts';

const rankIn = (list: Int32Array, x: number) => {
  const r = list.indexOf(x);
  return r < 0 ? Number.POSITIVE_INFINITY : r;
};

/** Random preference lists over 0..n-1 (not necessarily mutual or complete). */
const preferenceLists = (maxN: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) =>
    fc.array(
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: 0 },
      ),
      { minLength: n, maxLength: n },
    ),
  );

function mutual(prefs: number[][], x: number, y: number) {
  return x !== y && prefs[x]!.includes(y) && prefs[y]!.includes(x);
}

/** A blocking pair: both acceptable, not together, each prefers the other to their current state. */
function blockingPair(prefs: number[][], mate: ArrayLike<number>): [number, number] | undefined {
  const n = prefs.length;
  const prefers = (x: number, y: number) => {
    const list = prefs[x]!;
    const current = mate[x]!;
    return current < 0 || list.indexOf(y) < list.indexOf(current);
  };
  for (let x = 0; x < n; x++)
    for (let y = x + 1; y < n; y++)
      if (mutual(prefs, x, y) && mate[x] !== y && prefers(x, y) && prefers(y, x)) return [x, y];
  return undefined;
}

function someStableMatchingExists(prefs: number[][]): boolean {
  const n = prefs.length;
  const mate = new Array<number>(n).fill(-1);
  const go = (x: number): boolean => {
    if (x === n) return blockingPair(prefs, mate) === undefined;
    if (mate[x] !== -1) return go(x + 1);
    if (go(x + 1)) return true;
    for (let y = x + 1; y < n; y++) {
      if (mate[y] !== -1 || !mutual(prefs, x, y)) continue;
      mate[x] = y;
      mate[y] = x;
      if (go(x + 1)) return true;
      mate[x] = -1;
      mate[y] = -1;
    }
    return false;
  };
  return go(0);
}

describe('stable roommates', () => {
  it('reports the classic instance without a stable matching', () => {
    // A, B and C each rank the next one first in a cycle; whoever gets D would leave.
    const prefs = [
      [1, 2, 3],
      [2, 0, 3],
      [0, 1, 3],
      [0, 1, 2],
    ];
    expect(stableRoommates(prefs.map((p) => Int32Array.from(p))).stable).toBe(false);
    expect(someStableMatchingExists(prefs)).toBe(false);
  });

  it('finds a stable matching exactly when one exists, and it has no blocking pair', () => {
    let unstable = 0;
    fc.assert(
      fc.property(preferenceLists(8), (prefs) => {
        const result = stableRoommates(prefs.map((p) => Int32Array.from(p)));
        expect(result.stable).toBe(someStableMatchingExists(prefs));
        if (!result.stable) {
          unstable++;
          return;
        }
        result.mate.forEach((m, x) => {
          if (m >= 0) {
            expect(result.mate[m]).toBe(x);
            expect(mutual(prefs, x, m)).toBe(true);
          }
        });
        expect(blockingPair(prefs, result.mate)).toBeUndefined();
      }),
      { numRuns: 600 },
    );
    // The generator must reach instances without a stable matching for the equivalence to mean much.
    expect(unstable).toBeGreaterThan(0);
  });
});

describe('Gale–Shapley with capacities', () => {
  it('leaves no blocking pair and respects capacities, whichever side proposes', () => {
    fc.assert(
      fc.property(shapes(10), fc.boolean(), fc.boolean(), (shape, mentorsPropose, complete) => {
        const participants = randomParticipants(shape, 'one_to_one');
        const ids = participants.map((p) => p.id);
        for (const person of participants)
          person.preferences = ids.filter((id, t) => id !== person.id && (shape.seed + t) % 3 !== 0);
        const settings = {
          format: 'one_to_one' as const,
          preferences: {
            proposer: mentorsPropose ? ('mentor' as const) : ('mentee' as const),
            completeWithScores: complete,
          },
        };
        const cp = compileProgram({ participants, settings });
        const mentees = [...cp.ids.keys()].filter((i) => cp.role[i] === 1);
        const mentors = [...cp.ids.keys()].filter((i) => cp.role[i] === 0);
        const menteePrefs = new Map(mentees.map((i) => [i, preferenceList(cp, i, mentors)]));
        const mentorPrefs = new Map(mentors.map((j) => [j, preferenceList(cp, j, mentees)]));
        const result = runMatching({ participants, settings });
        expect(result.mode).toBe('stable');
        const mentorOf = new Map<number, number>();
        const menteesOf = new Map<number, number[]>(mentors.map((j) => [j, []]));
        for (const pair of result.pairs) {
          const j = cp.index.get(pair.a)!;
          const i = cp.index.get(pair.b)!;
          expect(allowed(cp, j, i)).toBe(true);
          expect(mentorOf.has(i)).toBe(false);
          mentorOf.set(i, j);
          menteesOf.get(j)!.push(i);
        }
        for (const j of mentors) expect(menteesOf.get(j)!.length).toBeLessThanOrEqual(cp.capacity[j]!);
        for (const i of mentees)
          for (const j of mentors) {
            const li = menteePrefs.get(i)!;
            const lj = mentorPrefs.get(j)!;
            if (!li.includes(j) || !lj.includes(i) || mentorOf.get(i) === j) continue;
            const menteeWants = !mentorOf.has(i) || rankIn(li, j) < rankIn(li, mentorOf.get(i)!);
            const held = menteesOf.get(j)!;
            const mentorWants =
              held.length < cp.capacity[j]! || held.some((other) => rankIn(lj, i) < rankIn(lj, other));
            expect(menteeWants && mentorWants).toBe(false);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('gives proposers their first choices when those do not collide', () => {
    const result = galeShapley(
      [Int32Array.of(0, 1), Int32Array.of(1, 0)],
      [Int32Array.of(1, 0), Int32Array.of(0, 1)],
      Int32Array.of(1, 1),
      Int32Array.of(1, 1),
    );
    expect(result.proposerMates).toEqual([[0], [1]]);
  });
});
