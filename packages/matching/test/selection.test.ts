import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MentorBounds } from '../src/bounded-candidates.ts';
import { marketDuals, menteesAndMentors, solveOneToOne } from '../src/one-to-one.ts';
import { compileProgram } from '../src/profiles.ts';
import { mulberry32 } from '../src/random.ts';
import { concatCandidateRows, selectCandidates, selectCandidatesInParallel } from '../src/selection.ts';
import { type Market, shareOut, workersAvailable } from '../src/threads.ts';
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
        fc.integer({ min: 1, max: 40 }),
        (seed, n, k, threads, priced, partRows) => {
          const cp = program(seed, n, k);
          const { mentees, mentors } = menteesAndMentors(cp);
          const rng = mulberry32(seed);
          const prices = priced ? Float64Array.from(mentors, () => rng() * 0.5) : undefined;
          const bounds = new MentorBounds(cp, mentors);
          const once = selectCandidates(cp, bounds, mentees, prices);
          // Parts of a few mentees: each thread claims several.
          const split = selectCandidatesInParallel(cp, bounds, mentees, threads, prices, partRows);
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

  // Small programs are done here before a worker has started: a slow share here lets the worker
  // claim items, so that its side of the protocol is what these compare. The first item waits
  // longest, so that a worker starting slowly on a busy machine still gets its turn.
  const slowly =
    <S, T>(compute: (item: S) => T, calls: { count: number }) =>
    (item: S): T => {
      calls.count++;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, calls.count === 1 ? 3_000 : 100);
      return compute(item);
    };

  it('lets a worker claim the parts this thread has not: selection', () => {
    const cp = program(5, 300, 3);
    const { mentees, mentors } = menteesAndMentors(cp);
    const bounds = new MentorBounds(cp, mentors);
    const prices = Float64Array.from(mentors, (_, c) => (c % 7) / 20);
    const parts = Array.from({ length: 12 }, (_, part) =>
      mentees.filter((_, r) => Math.floor((r * 12) / mentees.length) === part),
    );
    const calls = { count: 0 };
    const here = slowly((part: Int32Array) => selectCandidates(cp, bounds, part, prices), calls);
    const rows = shareOut(cp, parts, 2, here, { kind: 'select', mentors, parts, prices });
    expect(calls.count).toBeLessThan(parts.length);
    const { base: _, ...once } = selectCandidates(cp, bounds, mentees, prices);
    expect(isDeepStrictEqual(concatCandidateRows(rows), once)).toBe(true);
  });

  it('lets a worker claim the parts this thread has not: sample markets', () => {
    const cp = program(6, 300, 3);
    const { mentees, mentors } = menteesAndMentors(cp);
    const markets: Market[] = Array.from({ length: 6 }, (_, part) => {
      const own = mentors.filter((_, c) => c % 6 === part);
      return { mentors: own, rows: mentees.filter((_, r) => r % 6 === part), capacity: own.map(() => 1) };
    });
    const calls = { count: 0 };
    const here = slowly((market: Market) => marketDuals(cp, market), calls);
    const duals = shareOut(cp, markets, 2, here, { kind: 'markets', markets });
    expect(calls.count).toBeLessThan(markets.length);
    expect(duals).toEqual(markets.map((market) => marketDuals(cp, market)));
  });
});
