import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedTopCandidates, MentorBounds } from '../src/bounded-candidates.ts';
import { TopK } from '../src/candidates.ts';
import { menteesAndMentors } from '../src/one-to-one.ts';
import { compileProgram } from '../src/profiles.ts';
import { mulberry32 } from '../src/random.ts';
import { allowed } from '../src/rules.ts';
import { pairScore } from '../src/score.ts';
import type { Participant } from '../src/types.ts';
import {
  type InstanceShape,
  type RuleSettings,
  randomParticipants,
  ruleSettings,
  shapes,
} from './generators.ts';

/** More interest words than mask bits, so that hashed masks collide. */
const manyWords = Array.from({ length: 150 }, (_, t) => `word${t}`);

function withManyInterests(people: Participant[], seed: number): Participant[] {
  const rng = mulberry32(seed);
  return people.map((person) => ({
    ...person,
    interests: Array.from({ length: Math.floor(rng() * 6) }, () => manyWords[Math.floor(rng() * 150)]!),
  }));
}

/**
 * Availability of its own for everyone, and every other one of the first 140 a mentor: 70 mentors
 * with distinct availabilities are past the 64 groups kept exact, so the groups collapse to an
 * upper bound whatever roles the seed drew.
 */
function withOwnAvailability(people: Participant[]): Participant[] {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const clock = (cell: number) => `${Math.floor(cell / 2)}:${cell % 2 === 0 ? '00' : '30'}`;
  return people.map((person, i) => {
    // Distinct for every i below 5 * 32 * 4 = 640.
    const start = 12 + (Math.floor(i / 5) % 32);
    const end = start + 1 + (Math.floor(i / 160) % 4);
    const availability = [{ day: days[i % 5]!, start: clock(start), end: clock(end) }];
    if (i < 140 && i % 2 === 0) return { ...person, role: 'mentor', capacity: 1 + (i % 3), availability };
    return { ...person, availability };
  });
}

const program: fc.Arbitrary<Input> = fc.record({
  shape: shapes(40, 2),
  rules: ruleSettings,
  k: fc.integer({ min: 1, max: 6 }),
  collide: fc.boolean(),
  collapse: fc.boolean(),
});

interface Input {
  shape: InstanceShape;
  rules: RuleSettings;
  k: number;
  collide: boolean;
  /** Enough mentors (260 to 300 people) with availabilities of their own to collapse the groups. */
  collapse: boolean;
}

function compiled({ shape, rules, k, collide, collapse }: Input) {
  let people = randomParticipants(collapse ? { ...shape, n: 260 + shape.n } : shape, 'one_to_one');
  if (collide) people = withManyInterests(people, shape.seed);
  if (collapse) people = withOwnAvailability(people);
  return compileProgram({
    participants: people,
    settings: { format: 'one_to_one', ...rules, candidates: k },
  });
}

describe('bounded top-k candidates', () => {
  it('equal the exhaustive top-k: same mentors, same scores, ties to the lower column', () => {
    fc.assert(
      fc.property(program, (input) => {
        const cp = compiled(input);
        const { mentees, mentors } = menteesAndMentors(cp);
        const found = boundedTopCandidates(new MentorBounds(cp, mentors), mentees, input.k);
        mentees.forEach((i, r) => {
          const all = [...mentors.keys()]
            .filter((c) => allowed(cp, mentors[c]!, i))
            .map((c) => ({ c, score: pairScore(cp, mentors[c]!, i) }))
            .sort((x, y) => y.score - x.score || x.c - y.c);
          const expected = all.slice(0, input.k);
          const got = [];
          for (let t = found.start[r]!; t < found.start[r + 1]!; t++)
            got.push({ c: found.column[t]!, score: found.score[t]! });
          got.sort((x, y) => y.score - x.score || x.c - y.c);
          expect(got).toEqual(expected);
          const cutoff = found.cutoff[r]!;
          if (all.length > input.k) expect(cutoff).toBe(expected[input.k - 1]!.score);
          else if (cutoff !== Number.NEGATIVE_INFINITY)
            expect(cutoff).toBe(expected[expected.length - 1]!.score);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('bound every allowed pair from both sides, and forbid whole cells only by their rules', () => {
    fc.assert(
      fc.property(program, (input) => {
        const cp = compiled(input);
        const { mentees, mentors } = menteesAndMentors(cp);
        const bounds = new MentorBounds(cp, mentors);
        const wrong: string[] = [];
        for (const i of mentees) {
          bounds.prepare(i);
          if (input.collapse) expect(bounds.uncertain).toBeGreaterThan(0);
          for (let c = 0; c < mentors.length; c++) {
            if (!allowed(cp, mentors[c]!, i)) continue;
            const upper = bounds.upper(c);
            const score = pairScore(cp, mentors[c]!, i);
            if (upper - bounds.uncertain > score + 1e-9 || upper + 1e-9 < score)
              wrong.push(`mentee ${i}, mentor ${c}: ${upper - bounds.uncertain} … ${upper} vs ${score}`);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('scan by score less price: the exhaustive best above the threshold, and a true bound on the rest', () => {
    fc.assert(
      fc.property(program, fc.integer(), fc.boolean(), fc.nat(4), (input, seed, threshold, reserved) => {
        const cp = compiled(input);
        const { mentees, mentors } = menteesAndMentors(cp);
        const m = mentors.length;
        const rng = mulberry32(seed);
        // Prices like an assignment's duals: many zero, the rest spread over the score range, so
        // that mentors offering no wanted skill often come first.
        const price = Float64Array.from({ length: m }, () => (rng() < 0.3 ? 0 : rng()));
        const bounds = new MentorBounds(cp, mentors);
        bounds.usePrices(price);
        const top = new TopK(input.k);
        const reserve = reserved > 0 ? new TopK(reserved) : null;
        const scoreOf = new Float64Array(m);
        for (const i of mentees) {
          const above = threshold ? rng() * 0.8 - 0.4 : Number.NEGATIVE_INFINITY;
          const skip = Uint8Array.from({ length: m }, () => (rng() < 0.2 ? 1 : 0));
          top.clear();
          reserve?.clear();
          const notOffered = bounds.scan(i, above, skip, top, scoreOf, reserve);
          const eligible = [...mentors.keys()]
            .filter((c) => skip[c] === 0 && allowed(cp, mentors[c]!, i))
            .map((c) => ({ c, score: pairScore(cp, mentors[c]!, i) }))
            .map(({ c, score }) => ({ c, score, reduced: score - price[c]! }));
          const expected = eligible
            .filter((e) => e.reduced > above)
            .sort((x, y) => y.reduced - x.reduced || x.c - y.c)
            .slice(0, input.k);
          const got = [];
          for (let t = 0; t < top.size; t++) {
            const c = top.column[t]!;
            got.push({ c, score: scoreOf[c]!, reduced: top.score[t]! });
          }
          got.sort((x, y) => y.reduced - x.reduced || x.c - y.c);
          expect(got).toEqual(expected);
          const kept = new Set(got.map((e) => e.c));
          // The reserve: unscored mentors beyond `top`, each key a true bound on its score less price.
          const waiting = new Map<number, number>();
          for (let t = 0; t < (reserve?.size ?? 0); t++) waiting.set(reserve!.column[t]!, reserve!.score[t]!);
          // Checked pair by pair, reported as one list each: an expect per pair was most of the time.
          const waitingWrongly = eligible.filter(
            (e) => waiting.has(e.c) && (kept.has(e.c) || waiting.get(e.c)! < e.reduced),
          );
          expect(waitingWrongly).toEqual([]);
          // What is in neither stays below both, and below every reserve key (or the threshold).
          const ceiling = reserve
            ? notOffered
            : Math.max(notOffered, top.size === input.k ? top.floor() : Number.NEGATIVE_INFINITY);
          const aboveCeiling = eligible.filter(
            (e) => !kept.has(e.c) && !waiting.has(e.c) && e.reduced > ceiling + 1e-9,
          );
          expect(aboveCeiling, `ceiling ${ceiling}`).toEqual([]);
          if (waiting.size > 0)
            expect(ceiling).toBeLessThanOrEqual(Math.max(above, Math.min(...waiting.values())) + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
});
