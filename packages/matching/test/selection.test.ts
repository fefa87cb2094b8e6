import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MentorBounds } from '../src/bounded-candidates.ts';
import { menteesAndMentors, solveOneToOne } from '../src/one-to-one.ts';
import { compileProgram } from '../src/profiles.ts';
import { mulberry32 } from '../src/random.ts';
import { selectCandidates, selectCandidatesInParallel } from '../src/selection.ts';
import { workersAvailable } from '../src/threads.ts';
import { randomParticipants } from './generators.ts';

function program(seed: number, n: number, k: number) {
  return compileProgram({
    participants: randomParticipants({ seed, n }, 'one_to_one'),
    settings: { format: 'one_to_one', candidates: k },
  });
}

describe('work shared out over worker threads', () => {
  // Where the workers cannot load the sources every row is selected in this thread, and the
  // comparisons below would hold without a single worker: they must be able to here.
  it('runs here', () => expect(workersAvailable()).toBe(true));

  it('gives the same lists, reserve and cutoffs as one pass, with or without prices', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 160 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        (seed, n, k, threads, priced) => {
          const cp = program(seed, n, k);
          const { mentees, mentors } = menteesAndMentors(cp);
          const rng = mulberry32(seed);
          const prices = priced ? Float64Array.from(mentors, () => rng() * 0.5) : undefined;
          const bounds = new MentorBounds(cp, mentors);
          const once = selectCandidates(cp, bounds, mentees, prices);
          const split = selectCandidatesInParallel(cp, bounds, mentees, threads, prices);
          expect(isDeepStrictEqual(split, once)).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('leave the one_to_one optimum unchanged, sample markets shared out too', () => {
    const cp = program(11, 400, 4);
    const sampled = { sampleFrom: 0, sampleParts: 3 };
    const alone = solveOneToOne(cp, undefined, { ...sampled, threads: 1 });
    const shared = solveOneToOne(cp, undefined, { ...sampled, threads: 2 });
    expect(alone.sampledMentees).toBeGreaterThan(0);
    expect(shared).toEqual(alone);
    expect(shared.provedOptimal).toBe(true);
  });
});
