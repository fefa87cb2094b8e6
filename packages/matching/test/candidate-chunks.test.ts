import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  candidateChunkRanges,
  joinCandidateChunks,
  sampleCandidatePrices,
  scoreCandidateChunk,
} from '../src/candidate-chunks.ts';
import { MatchingInputError } from '../src/index.ts';
import { solveOneToOne } from '../src/one-to-one.ts';
import { compileProgram } from '../src/profiles.ts';
import { runMatching } from '../src/run.ts';
import { randomParticipants } from './generators.ts';

describe('candidate selection in chunks', () => {
  it('gives the solver the same lists, hence the same result, as selecting in one pass', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 7 }),
        (seed, n, size) => {
          const input = {
            participants: randomParticipants({ seed, n }, 'one_to_one'),
            settings: { format: 'one_to_one' as const, candidates: 2 },
          };
          const ranges = candidateChunkRanges(input, size);
          const chunks = ranges.map(({ from, to }) => scoreCandidateChunk(input, from, to));
          // Every chunk goes through JSON, as it does between the map and Solve.
          const carried = chunks.map((chunk) => JSON.parse(JSON.stringify(chunk)));
          expect(runMatching(input, { candidateChunks: carried })).toEqual(runMatching(input));
          const rows = ranges.at(-1)?.to ?? 0;
          const whole = joinCandidateChunks([scoreCandidateChunk(input, 0, rows)], rows);
          expect(joinCandidateChunks([...carried].reverse(), rows)).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('select under the sample the solver would choose alone, and solve as it would', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 40, max: 120 }),
        fc.integer({ min: 3, max: 30 }),
        (seed, n, size) => {
          const input = {
            participants: randomParticipants({ seed, n }, 'one_to_one'),
            settings: { format: 'one_to_one' as const, candidates: 3 },
          };
          const sample = sampleCandidatePrices(input, { sampleFrom: 0 });
          fc.pre(sample !== null);
          const ranges = candidateChunkRanges(input, size);
          const carried = ranges.map(({ from, to }) =>
            JSON.parse(JSON.stringify(scoreCandidateChunk(input, from, to, sample))),
          );
          const cp = compileProgram(input);
          const rows = ranges.at(-1)?.to ?? 0;
          const alone = solveOneToOne(cp, undefined, { sampleFrom: 0, threads: 1 });
          expect(alone.sampledMentees).toBe(sample!.sampledMentees);
          expect(solveOneToOne(cp, joinCandidateChunks(carried, rows, sample))).toEqual(alone);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses chunks that miss or repeat rows, and formats that score inside the solve', () => {
    const input = {
      participants: randomParticipants({ seed: 7, n: 24 }, 'one_to_one'),
      settings: { format: 'one_to_one' as const },
    };
    const [first, second] = candidateChunkRanges(input, 5).map(({ from, to }) =>
      scoreCandidateChunk(input, from, to),
    );
    expect(() => runMatching(input, { candidateChunks: [first!] })).toThrow(MatchingInputError);
    expect(() => runMatching(input, { candidateChunks: [first!, first!, second!] })).toThrow(
      MatchingInputError,
    );
    expect(() => scoreCandidateChunk(input, 0, 10_000)).toThrow(/not within/);
    const peers = {
      participants: randomParticipants({ seed: 7, n: 6 }, 'peer_pairs'),
      settings: { format: 'peer_pairs' as const },
    };
    expect(candidateChunkRanges(peers, 2)).toEqual([]);
    expect(() => runMatching(peers, { candidateChunks: [first!] })).toThrow(/one_to_one/);
  });
});
