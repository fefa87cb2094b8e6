import { availableParallelism } from 'node:os';
import { MentorBounds } from './bounded-candidates.ts';
import { type CandidateRows, RowScorer } from './candidates.ts';
import { solvePriced } from './priced.ts';
import { type CompiledProgram, ROLE_MENTEE, ROLE_MENTOR } from './profiles.ts';
import { allowed } from './rules.ts';
import { selectCandidates, selectCandidatesInParallel } from './selection.ts';
import { type Market, shareOut } from './threads.ts';

export interface OneToOneSolution {
  /** Mentee participant index → mentor participant index, or -1. */
  mentorOf: Int32Array;
  mentees: Int32Array;
  mentors: Int32Array;
  total: number;
  provedOptimal: boolean;
  pricingRounds: number;
  candidateEdges: number;
  /** Mentees (participant indices) that had no allowed mentor at all. */
  withoutAllowedMentor: Set<number>;
  /** Pricing work: mentees scanned against every mentor, and single pairs scored. */
  rowsScanned: number;
  pairsPriced: number;
  /** Mentees in the sample whose duals chose the candidates (`sampledDuals`); 0 without one. */
  sampledMentees: number;
}

/** The assignment's rows (mentees) and columns (mentors with capacity), in input order. */
export function menteesAndMentors(cp: CompiledProgram): { mentees: Int32Array; mentors: Int32Array } {
  const mentees: number[] = [];
  const mentors: number[] = [];
  for (let i = 0; i < cp.n; i++) {
    if (cp.role[i] === ROLE_MENTEE) mentees.push(i);
    else if (cp.role[i] === ROLE_MENTOR && cp.capacity[i]! > 0) mentors.push(i);
  }
  return { mentees: Int32Array.from(mentees), mentors: Int32Array.from(mentors) };
}

/**
 * Programs with at least this many mentees select their candidates on every core
 * (`selectCandidatesInParallel`): below it a worker's start-up is a large share of the work.
 */
const PARALLEL_FROM = 10_000;
/** Programs with at least this many mentees start from the duals of a sample (`sampledDuals`). */
const SAMPLE_FROM = 20_000;
/** The sample keeps one mentee in this many (fewer where mentors have less capacity). */
const SAMPLE_EVERY = 4;
/**
 * The sample is solved as this many separate markets (see `sampledDuals`). More markets make the
 * sample cheaper, but their rougher prices cost the main solve more pricing rounds than that saves
 * (docs/benchmarks.md).
 */
const SAMPLE_PARTS = 4;

interface Scoring {
  cp: CompiledProgram;
  mentors: Int32Array;
  scorer: RowScorer;
  bounds: MentorBounds;
  cardinalityFirst: boolean;
}

function scoringOf(cp: CompiledProgram, mentors: Int32Array): Scoring {
  return {
    cp,
    mentors,
    scorer: new RowScorer(cp, mentors),
    bounds: new MentorBounds(cp, mentors),
    cardinalityFirst: cp.settings.objective === 'cardinality_then_weight',
  };
}

export interface SampleOptions {
  /** Mentees from which a program is sampled first (default `SAMPLE_FROM`). */
  sampleFrom?: number;
  sampleParts?: number;
  /** Threads to share the work over (default every core from `PARALLEL_FROM` mentees on). */
  threads?: number;
}

function threadsFor(rows: number, options: SampleOptions): number {
  return options.threads ?? (rows >= PARALLEL_FROM ? availableParallelism() : 1);
}

/** The sample's prices and size (`sampledDuals`) when the program has mentees enough, else null. */
function sampleOf(cp: CompiledProgram, mentors: Int32Array, mentees: Int32Array, options: SampleOptions) {
  if (mentees.length < (options.sampleFrom ?? SAMPLE_FROM)) return null;
  const capacity = Int32Array.from(mentors, (j) => cp.capacity[j]!);
  const threads = threadsFor(mentees.length, options);
  return sampledDuals(cp, mentors, mentees, capacity, options.sampleParts ?? SAMPLE_PARTS, threads);
}

/**
 * The mentor prices `solveOneToOne` would choose candidates under, for selection elsewhere (the
 * workflow's Score map): null for programs below the sample's size.
 */
export function programSample(
  cp: CompiledProgram,
  options: SampleOptions = {},
): { prices: Float64Array; size: number } | null {
  const { mentees, mentors } = menteesAndMentors(cp);
  return sampleOf(cp, mentors, mentees, options);
}

/** The assignment of `rows` (mentee indices) to the mentors with `capacity`, priced to a proof. */
function solveRows(s: Scoring, rows: Int32Array, capacity: Int32Array, candidates: CandidateRows) {
  const { scorer, bounds } = s;
  return solvePriced(
    {
      rows: rows.length,
      columns: s.mentors.length,
      capacity,
      scoreColumns: (r, list, count, out) => scorer.scoreColumns(rows[r]!, list, count, out),
      usePrices: (price) => bounds.usePrices(price),
      scan: (r, above, skip, top, scoreOf) => bounds.scan(rows[r]!, above, skip, top, scoreOf),
    },
    candidates,
    // Scores are weighted means of criteria in [0, 1] with weights summing to 1.
    { cardinalityFirst: s.cardinalityFirst, weightBound: 1 },
  );
}

/**
 * One sample market's mentor duals, shifted to a mean of zero: a market's duals are fixed only up
 * to a common shift and each settles its own, so shifted the markets' prices line up (their
 * mentors are alike on average).
 */
export function marketDuals(cp: CompiledProgram, market: Market): Float64Array {
  const { mentors, rows, capacity } = market;
  const scoring = scoringOf(cp, mentors);
  const candidates = selectCandidates(cp, scoring.bounds, rows);
  const duals = solveRows(scoring, rows, capacity, candidates).columnDual;
  const mean = duals.reduce((sum, dual) => sum + dual, 0) / Math.max(1, duals.length);
  return duals.map((dual) => dual - mean);
}

/**
 * Mentor prices near the program's optimal duals, from the same program in miniature: every
 * `every`-th mentee, and each mentor's capacity divided by `every` (rounded so that the total
 * keeps its share), solved exactly. A mentor's dual is what it takes to balance its demand with
 * its places, which the sample preserves. Candidates chosen by score less these prices hold
 * nearly every pair of the optimum, where top-k lists by score alone leave unpopular mentors out
 * when places are tight, and pricing then needs round after round over every mentee.
 *
 * The sample is solved as `parts` markets of their own, each with one part of the sampled mentees
 * and one part of the mentors (every `parts`-th of each, so that input sorted by, say, department
 * spreads over all parts). Each keeps the program's ratio of places to mentees; its mentees scan
 * only its mentors, so the parts together cost 1/parts of one sample, and the markets are solved
 * on `threads` threads (`marketDuals`). Null when mentors have too little capacity to scale down;
 * else the prices and the sample's size.
 */
function sampledDuals(
  cp: CompiledProgram,
  programMentors: Int32Array,
  mentees: Int32Array,
  capacity: Int32Array,
  parts: number,
  threads: number,
): { prices: Float64Array; size: number } | null {
  let places = 0;
  for (const c of capacity) places += c;
  const every = Math.min(SAMPLE_EVERY, Math.floor(places / Math.max(1, capacity.length)));
  if (every < 2) return null;
  const sample = mentees.filter((_, r) => r % every === 0);
  const markets = Math.min(parts, capacity.length);
  const partColumns = Array.from({ length: markets }, (_, part) =>
    Int32Array.from(capacity.keys()).filter((c) => c % markets === part),
  );
  const spec = partColumns.map((columns, part): Market => {
    let share = 0;
    const scaled = Int32Array.from(columns, (c) => {
      const before = Math.floor(share);
      share += capacity[c]! / every;
      return Math.floor(share) - before;
    });
    return {
      mentors: Int32Array.from(columns, (c) => programMentors[c]!),
      rows: sample.filter((_, t) => t % markets === part),
      capacity: scaled,
    };
  });
  // Markets are independent: the threads claim them one at a time.
  const solved = shareOut(cp, spec, threads, (market) => marketDuals(cp, market), {
    kind: 'markets',
    markets: spec,
  });
  const prices = new Float64Array(capacity.length);
  solved.forEach((duals, part) => {
    partColumns[part]!.forEach((c, u) => {
      prices[c] = duals[u]!;
    });
  });
  return { prices, size: sample.length };
}

/**
 * Optimal mentor–mentee assignment: each mentee's top-k mentors (found without scoring every pair,
 * see `boundedTopCandidates`), completed to a proof of optimality on the full allowed graph by dual
 * pricing (see `solvePriced`). Large programs choose the top-k by score less the duals of a sample
 * (`sampledDuals`). Candidates selected beforehand (in chunks, see `candidate-chunks.ts`) may be
 * passed in; they are used as they are.
 */
export function solveOneToOne(
  cp: CompiledProgram,
  precomputed?: CandidateRows,
  options: SampleOptions = {},
): OneToOneSolution {
  const { mentees, mentors } = menteesAndMentors(cp);
  const rows = mentees.length;
  const capacity = Int32Array.from(mentors, (j) => cp.capacity[j]!);
  const scoring = scoringOf(cp, mentors);
  let candidates = precomputed;
  let sampledMentees = precomputed?.sampledMentees ?? 0;
  if (!candidates) {
    const sample = sampleOf(cp, mentors, mentees, options);
    sampledMentees = sample?.size ?? 0;
    const threads = threadsFor(rows, options);
    candidates = selectCandidatesInParallel(cp, scoring.bounds, mentees, threads, sample?.prices);
  }
  const withoutAllowedMentor = new Set<number>();
  for (let r = 0; r < rows; r++)
    if (candidates.start[r] === candidates.start[r + 1]) withoutAllowedMentor.add(mentees[r]!);

  const solution = solveRows(scoring, mentees, capacity, candidates);

  const mentorOf = new Int32Array(cp.n).fill(-1);
  for (let r = 0; r < rows; r++) {
    const c = solution.rowMate[r]!;
    if (c >= 0) mentorOf[mentees[r]!] = mentors[c]!;
  }
  return {
    mentorOf,
    mentees,
    mentors,
    total: solution.total,
    provedOptimal: solution.provedOptimal,
    pricingRounds: solution.rounds,
    candidateEdges: solution.edges,
    withoutAllowedMentor,
    rowsScanned: solution.rowsScanned,
    pairsPriced: solution.pairsPriced,
    sampledMentees,
  };
}

/** Whether mentor j has any allowed mentee at all (an early-exit scan, for unmatched reasons). */
export function hasAllowedMentee(cp: CompiledProgram, mentor: number, mentees: Int32Array): boolean {
  for (const i of mentees) if (allowed(cp, mentor, i)) return true;
  return false;
}
