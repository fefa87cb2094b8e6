/**
 * Candidate selection split into chunks of rows, so that a workflow can score a large program in
 * parallel (a Map state in Step Functions) and hand the solver the lists instead of having it
 * score everything in one process. Rows are the mentees of an optimal one_to_one run, in input
 * order; other formats and preference modes score inside the solve and have no rows to split.
 *
 * Chunks travel as JSON through a blob store, so their typed arrays are base64 (exact doubles,
 * -Infinity included, at a third of the size of number lists).
 */
import { MentorBounds } from './bounded-candidates.ts';
import type { CandidateRows } from './candidates.ts';
import { menteesAndMentors, programSample } from './one-to-one.ts';
import { type CompiledProgram, compileProgram, usesPreferences } from './profiles.ts';
import { concatCandidateRows, selectCandidates } from './selection.ts';
import { type MatchingInput, MatchingInputError } from './types.ts';

export interface CandidateChunk {
  /** The rows [from, to) this chunk holds, and the total it was cut from. */
  from: number;
  to: number;
  rows: number;
  /** Row-relative offsets (to − from + 1 of them), columns, scores and cutoffs, base64. */
  start: string;
  column: string;
  score: string;
  cutoff: string;
  /** The rows' reserve (`CandidateRows.reserve`): offsets, columns and score bounds, base64. */
  reserveStart: string;
  reserveColumn: string;
  reserveBound: string;
}

const encode = (a: Int32Array | Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function decode<T extends Int32Array | Float64Array>(text: string, make: (b: ArrayBuffer) => T): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy);
}

/** How many rows chunked candidate selection would score for this program (0: none). */
export function candidateRowCount(cp: CompiledProgram): number {
  if (cp.settings.format !== 'one_to_one' || usesPreferences(cp)) return 0;
  return menteesAndMentors(cp).mentees.length;
}

/** The rows of a program split into chunks of at most `size` rows, as [from, to) ranges. */
export function candidateChunkRanges(input: MatchingInput, size: number): { from: number; to: number }[] {
  const rows = candidateRowCount(compileProgram(input));
  const ranges: { from: number; to: number }[] = [];
  for (let from = 0; from < rows; from += size) ranges.push({ from, to: Math.min(rows, from + size) });
  return ranges;
}

/** A sample's mentor prices (base64, like the chunks) and its size, shared by every chunk. */
export interface CandidateSample {
  prices: string;
  sampledMentees: number;
}

/**
 * The mentor prices a large program's candidates are chosen under (`programSample`), so that
 * chunks select what the solver would select alone. Null when the program is too small to sample
 * (or has no rows to split); `sampleFrom` lowers the threshold (tests).
 */
export function sampleCandidatePrices(
  input: MatchingInput,
  options: { sampleFrom?: number } = {},
): CandidateSample | null {
  const cp = compileProgram(input);
  if (candidateRowCount(cp) === 0) return null;
  const sample = programSample(cp, options);
  return sample && { prices: encode(sample.prices), sampledMentees: sample.size };
}

/**
 * Each row's top candidates for the rows [from, to), exactly as the solver would select them
 * (under the sample's prices, when there is one).
 */
export function scoreCandidateChunk(
  input: MatchingInput,
  from: number,
  to: number,
  sample: CandidateSample | null = null,
): CandidateChunk {
  const cp = compileProgram(input);
  const rows = candidateRowCount(cp);
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= rows))
    throw new MatchingInputError(`rows [${from}, ${to}) are not within the program's ${rows} rows`);
  const { mentees, mentors } = menteesAndMentors(cp);
  const prices = sample ? decode(sample.prices, (b) => new Float64Array(b)) : undefined;
  const part = selectCandidates(cp, new MentorBounds(cp, mentors), mentees.subarray(from, to), prices);
  const reserve = part.reserve!;
  return {
    from,
    to,
    rows,
    start: encode(part.start),
    column: encode(part.column),
    score: encode(part.score),
    cutoff: encode(part.cutoff),
    reserveStart: encode(reserve.start),
    reserveColumn: encode(reserve.column),
    reserveBound: encode(reserve.bound),
  };
}

/**
 * Joins chunks that cover rows 0 … rows − 1 exactly once back into the solver's candidate rows,
 * with the sample they were selected under.
 */
export function joinCandidateChunks(
  chunks: readonly CandidateChunk[],
  rows: number,
  sample: CandidateSample | null = null,
): CandidateRows {
  const sorted = [...chunks].sort((a, b) => a.from - b.from);
  let covered = 0;
  for (const chunk of sorted) {
    if (chunk.rows !== rows || chunk.from !== covered || chunk.to < chunk.from)
      throw new MatchingInputError(
        `candidate chunks do not cover the program's ${rows} rows once each (a chunk holds [${chunk.from}, ${chunk.to}) of ${chunk.rows})`,
      );
    covered = chunk.to;
  }
  if (covered !== rows)
    throw new MatchingInputError(`candidate chunks cover ${covered} of the program's ${rows} rows`);
  const joined = concatCandidateRows(
    sorted.map((chunk) => ({
      start: decode(chunk.start, (b) => new Int32Array(b)),
      column: decode(chunk.column, (b) => new Int32Array(b)),
      score: decode(chunk.score, (b) => new Float64Array(b)),
      cutoff: decode(chunk.cutoff, (b) => new Float64Array(b)),
      reserve: {
        start: decode(chunk.reserveStart, (b) => new Int32Array(b)),
        column: decode(chunk.reserveColumn, (b) => new Int32Array(b)),
        bound: decode(chunk.reserveBound, (b) => new Float64Array(b)),
      },
    })),
  );
  if (!sample) return joined;
  const base = decode(sample.prices, (b) => new Float64Array(b));
  return { ...joined, base, sampledMentees: sample.sampledMentees };
}
