import { type AssignmentSolution, solveAssignment } from './assignment.ts';
import { RowScorer, topCandidates } from './candidates.ts';
import { type CompiledProgram, ROLE_MENTEE, ROLE_MENTOR } from './profiles.ts';
import { allowed } from './rules.ts';

/** Rounds of pricing before giving up on a proof (each adds every violating pair found). */
const MAX_PRICING_ROUNDS = 25;

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
}

/**
 * Optimal mentor–mentee assignment: solve on each mentee's top-k mentors, then price every
 * left-out allowed pair against the duals. A pair whose score exceeds u_mentee + v_mentor could
 * improve the solution; violators join the graph and the problem is solved again until none is
 * left, which proves the sparse optimum optimal on the full graph.
 */
export function solveOneToOne(cp: CompiledProgram): OneToOneSolution {
  const menteeList: number[] = [];
  const mentorList: number[] = [];
  for (let i = 0; i < cp.n; i++) {
    if (cp.role[i] === ROLE_MENTEE) menteeList.push(i);
    else if (cp.role[i] === ROLE_MENTOR && cp.capacity[i]! > 0) mentorList.push(i);
  }
  const mentees = Int32Array.from(menteeList);
  const mentors = Int32Array.from(mentorList);
  const rows = mentees.length;
  const m = mentors.length;
  const scorer = new RowScorer(cp, mentors);
  const candidates = topCandidates(scorer, mentees, cp.settings.candidates);
  const capacity = Int32Array.from(mentors, (j) => cp.capacity[j]!);
  const cardinalityFirst = cp.settings.objective === 'cardinality_then_weight';

  const extraColumns: number[][] = Array.from({ length: rows }, () => []);
  const extraScores: number[][] = Array.from({ length: rows }, () => []);
  const withoutAllowedMentor = new Set<number>();
  for (let r = 0; r < rows; r++)
    if (candidates.start[r] === candidates.start[r + 1]) withoutAllowedMentor.add(mentees[r]!);

  const buildGraph = () => {
    const start = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++)
      start[r + 1] = start[r]! + candidates.start[r + 1]! - candidates.start[r]! + extraColumns[r]!.length;
    const column = new Int32Array(start[rows]!);
    const weight = new Float64Array(start[rows]!);
    for (let r = 0; r < rows; r++) {
      let e = start[r]!;
      for (let t = candidates.start[r]!; t < candidates.start[r + 1]!; t++, e++) {
        column[e] = candidates.column[t]!;
        weight[e] = candidates.score[t]!;
      }
      const extra = extraColumns[r]!;
      for (let t = 0; t < extra.length; t++, e++) {
        column[e] = extra[t]!;
        weight[e] = extraScores[r]![t]!;
      }
    }
    return { rows, columns: m, start, column, weight, capacity };
  };

  const rowScores = new Float64Array(m);
  const inGraph = new Uint8Array(m);
  const price = (solution: AssignmentSolution): number => {
    const { rowDual: u, columnDual: v, bonus } = solution;
    const tolerance = 1e-9 * Math.max(1, bonus);
    let violators = 0;
    for (let r = 0; r < rows; r++) {
      const cutoff = candidates.cutoff[r]!;
      // Everything left out of row r scores at most its k-th candidate and v ≥ 0.
      if (cutoff === Number.NEGATIVE_INFINITY || cutoff + bonus <= u[r]! + tolerance) continue;
      const i = mentees[r]!;
      for (let t = candidates.start[r]!; t < candidates.start[r + 1]!; t++)
        inGraph[candidates.column[t]!] = 1;
      for (const c of extraColumns[r]!) inGraph[c] = 1;
      scorer.scoreRow(i, rowScores);
      const limit = u[r]! + tolerance - bonus;
      for (let c = 0; c < m; c++) {
        let score = rowScores[c]!;
        if (inGraph[c] === 1 || score === Number.NEGATIVE_INFINITY) continue;
        if (scorer.availabilityPending[c] === 1) {
          if (score + scorer.availabilityBound - v[c]! <= limit) continue;
          score += scorer.availabilityTerm(i, c);
        }
        if (score - v[c]! > limit) {
          extraColumns[r]!.push(c);
          extraScores[r]!.push(score);
          violators++;
        }
      }
      for (let t = candidates.start[r]!; t < candidates.start[r + 1]!; t++)
        inGraph[candidates.column[t]!] = 0;
      for (const c of extraColumns[r]!) inGraph[c] = 0;
    }
    return violators;
  };

  let graph = buildGraph();
  let solution = solveAssignment(graph, { cardinalityFirst });
  let rounds = 1;
  let proved = false;
  for (;;) {
    if (price(solution) === 0) {
      proved = true;
      break;
    }
    if (rounds >= MAX_PRICING_ROUNDS) break;
    graph = buildGraph();
    solution = solveAssignment(graph, { cardinalityFirst });
    rounds++;
  }

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
    provedOptimal: proved,
    pricingRounds: rounds,
    candidateEdges: graph.column.length,
    withoutAllowedMentor,
  };
}

/** Whether mentor j has any allowed mentee at all (an early-exit scan, for unmatched reasons). */
export function hasAllowedMentee(cp: CompiledProgram, mentor: number, mentees: Int32Array): boolean {
  for (const i of mentees) if (allowed(cp, mentor, i)) return true;
  return false;
}
