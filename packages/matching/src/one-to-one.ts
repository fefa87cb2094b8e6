import { boundedTopCandidates, MentorBounds } from './bounded-candidates.ts';
import { type CandidateRows, RowScorer } from './candidates.ts';
import { solvePriced } from './priced.ts';
import { type CompiledProgram, ROLE_MENTEE, ROLE_MENTOR } from './profiles.ts';
import { allowed } from './rules.ts';

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
 * Optimal mentor–mentee assignment: each mentee's top-k mentors (found without scoring every pair,
 * see `boundedTopCandidates`), completed to a proof of optimality on the full allowed graph by dual
 * pricing (see `solvePriced`). Candidates selected beforehand (in chunks, see `candidate-chunks.ts`)
 * may be passed in.
 */
export function solveOneToOne(cp: CompiledProgram, precomputed?: CandidateRows): OneToOneSolution {
  const { mentees, mentors } = menteesAndMentors(cp);
  const rows = mentees.length;
  const scorer = new RowScorer(cp, mentors);
  const bounds = new MentorBounds(cp, mentors);
  const candidates = precomputed ?? boundedTopCandidates(cp, mentees, mentors, cp.settings.candidates);
  const withoutAllowedMentor = new Set<number>();
  for (let r = 0; r < rows; r++)
    if (candidates.start[r] === candidates.start[r + 1]) withoutAllowedMentor.add(mentees[r]!);

  const solution = solvePriced(
    {
      rows,
      columns: mentors.length,
      capacity: Int32Array.from(mentors, (j) => cp.capacity[j]!),
      scoreColumns: (r, list, count, out) => scorer.scoreColumns(mentees[r]!, list, count, out),
      usePrices: (price) => bounds.usePrices(price),
      scan: (r, above, skip, top, scoreOf) => bounds.scan(mentees[r]!, above, skip, top, scoreOf),
    },
    candidates,
    // Scores are weighted means of criteria in [0, 1] with weights summing to 1.
    { cardinalityFirst: cp.settings.objective === 'cardinality_then_weight', weightBound: 1 },
  );

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
  };
}

/** Whether mentor j has any allowed mentee at all (an early-exit scan, for unmatched reasons). */
export function hasAllowedMentee(cp: CompiledProgram, mentor: number, mentees: Int32Array): boolean {
  for (const i of mentees) if (allowed(cp, mentor, i)) return true;
  return false;
}
