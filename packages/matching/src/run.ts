import {
  type CandidateChunk,
  type CandidateSample,
  candidateRowCount,
  joinCandidateChunks,
} from './candidate-chunks.ts';
import type { CandidateRows } from './candidates.ts';
import { departmentMix, solveCircles } from './circles.ts';
import { scorePairExplained } from './explain.ts';
import { galeShapley } from './gale-shapley.ts';
import { hasAllowedMentee, solveOneToOne } from './one-to-one.ts';
import { peerIndices, solvePeers } from './peer-pairs.ts';
import {
  type CompiledProgram,
  compileProgram,
  ROLE_MENTEE,
  ROLE_MENTOR,
  usesPreferences,
} from './profiles.ts';
import { stableRoommates } from './roommates.ts';
import { allowed, rolesFit } from './rules.ts';
import { pairScore } from './score.ts';
import { computeTotals } from './totals.ts';
import type {
  CircleGroup,
  MatchedPair,
  MatchingInput,
  MatchingResult,
  SolverReport,
  Unmatched,
  UnmatchedReason,
} from './types.ts';
import { MatchingInputError } from './types.ts';

export interface RunOptions {
  /**
   * Candidate lists scored beforehand (`scoreCandidateChunk`, e.g. by a workflow's Map state),
   * covering every row of the program; without them the solver selects candidates itself.
   */
  candidateChunks?: readonly CandidateChunk[];
  /** The sample the chunks were selected under (`sampleCandidatePrices`), if any. */
  candidateSample?: CandidateSample | null;
}

/** One entry point: compiles the input once and dispatches on format and preference mode. */
export function runMatching(input: MatchingInput, options: RunOptions = {}): MatchingResult {
  return runCompiled(compileProgram(input), options);
}

export function runCompiled(cp: CompiledProgram, options: RunOptions = {}): MatchingResult {
  if (options.candidateChunks?.length && candidateRowCount(cp) === 0)
    throw new MatchingInputError(
      'candidate chunks apply to optimal one_to_one programs only; this program scores inside the solve',
    );
  switch (cp.settings.format) {
    case 'circles':
      return runCircles(cp);
    case 'one_to_one':
      return usesPreferences(cp)
        ? runGaleShapley(cp)
        : runOptimalOneToOne(
            cp,
            options.candidateChunks &&
              joinCandidateChunks(
                options.candidateChunks,
                candidateRowCount(cp),
                options.candidateSample ?? null,
              ),
          );
    case 'peer_pairs':
      return usesPreferences(cp) ? runRoommates(cp) : runOptimalPeers(cp);
  }
}

function roleMismatches(cp: CompiledProgram): Unmatched[] {
  const out: Unmatched[] = [];
  const fits = (i: number) =>
    cp.settings.format === 'one_to_one'
      ? cp.role[i] === ROLE_MENTOR || cp.role[i] === ROLE_MENTEE
      : cp.role[i] === 2;
  for (let i = 0; i < cp.n; i++)
    if (!fits(i))
      out.push({
        id: cp.ids[i]!,
        reason: 'role_not_in_format',
        detail: `${cp.names[i]} is enrolled as a ${cp.participants[i]!.role}, which a ${cp.settings.format} program does not match`,
      });
  return out;
}

function eligibleCount(cp: CompiledProgram): number {
  return cp.n - roleMismatches(cp).length;
}

function explainedPair(cp: CompiledProgram, a: number, b: number): MatchedPair {
  const pair: MatchedPair = { a: cp.ids[a]!, b: cp.ids[b]!, ...scorePairExplained(cp, a, b) };
  const rankAtoB = cp.preferences[a]!.indexOf(b);
  const rankBtoA = cp.preferences[b]!.indexOf(a);
  if (rankAtoB >= 0) pair.rankAtoB = rankAtoB;
  if (rankBtoA >= 0) pair.rankBtoA = rankBtoA;
  return pair;
}

function assemble(
  cp: CompiledProgram,
  mode: MatchingResult['mode'],
  pairs: MatchedPair[],
  unmatched: Unmatched[],
  solver: SolverReport,
): MatchingResult {
  let spanning = 0;
  for (const pair of pairs) {
    const da = cp.department[cp.index.get(pair.a)!]!;
    const db = cp.department[cp.index.get(pair.b)!]!;
    if (da >= 0 && db >= 0 && da !== db) spanning++;
  }
  return {
    format: cp.settings.format,
    mode,
    weights: cp.weights,
    pairs,
    groups: [],
    unmatched,
    totals: computeTotals(
      pairs.map((p) => p.score),
      { spanning, pairs: pairs.length },
      new Set(pairs.flatMap((p) => [p.a, p.b])).size,
      eligibleCount(cp),
      cp.n,
    ),
    solver,
  };
}

/** Why a mentee or mentor of a one-to-one program ended up without a partner. */
function oneToOneUnmatched(cp: CompiledProgram, mentorOf: Int32Array): Unmatched[] {
  const out = roleMismatches(cp);
  const load = new Int32Array(cp.n);
  for (const mentor of mentorOf) if (mentor >= 0) load[mentor]!++;
  const mentees: number[] = [];
  const mentors: number[] = [];
  for (let i = 0; i < cp.n; i++) {
    if (cp.role[i] === ROLE_MENTEE) mentees.push(i);
    else if (cp.role[i] === ROLE_MENTOR) mentors.push(i);
  }
  for (const i of mentees) {
    if (mentorOf[i]! >= 0) continue;
    const allowedMentors = mentors.filter((j) => allowed(cp, j, i));
    const name = cp.names[i]!;
    let reason: UnmatchedReason;
    let detail: string;
    if (allowedMentors.length === 0) {
      reason = 'no_allowed_partner';
      detail = `No mentor is allowed for ${name} under the program's rules`;
    } else if (allowedMentors.every((j) => load[j]! >= cp.capacity[j]!)) {
      reason = 'capacity_exhausted';
      detail = `All ${allowedMentors.length} mentors allowed for ${name} are at capacity`;
    } else {
      reason = 'not_chosen';
      detail = `Matching ${name} would lower the program's total score`;
    }
    out.push({ id: cp.ids[i]!, reason, detail });
  }
  const menteeList = Int32Array.from(mentees);
  for (const j of mentors) {
    if (load[j]! > 0) continue;
    const name = cp.names[j]!;
    if (cp.capacity[j] === 0)
      out.push({
        id: cp.ids[j]!,
        reason: 'capacity_exhausted',
        detail: `${name} has no capacity for mentees`,
      });
    else if (!hasAllowedMentee(cp, j, menteeList))
      out.push({
        id: cp.ids[j]!,
        reason: 'no_allowed_partner',
        detail: `No mentee is allowed for ${name} under the program's rules`,
      });
    else
      out.push({
        id: cp.ids[j]!,
        reason: 'not_chosen',
        detail: `Every mentee allowed for ${name} was matched with a better fit`,
      });
  }
  return out;
}

/** Why a peer ended up without a partner. */
function peerUnmatched(cp: CompiledProgram, mateOf: Int32Array): Unmatched[] {
  const out = roleMismatches(cp);
  const peers = peerIndices(cp);
  const single = Array.from(peers).filter((i) => mateOf[i]! < 0);
  for (const i of single) {
    const name = cp.names[i]!;
    const hasPartner = Array.from(peers).some((j) => allowed(cp, i, j));
    if (!hasPartner)
      out.push({
        id: cp.ids[i]!,
        reason: 'no_allowed_partner',
        detail: `No other peer is allowed for ${name} under the program's rules`,
      });
    else if (single.length === 1 && peers.length % 2 === 1)
      out.push({
        id: cp.ids[i]!,
        reason: 'odd_one_out',
        detail: `${peers.length} peers cannot all be paired; ${name} is the one left over`,
      });
    else
      out.push({
        id: cp.ids[i]!,
        reason: 'not_chosen',
        detail: `Every peer allowed for ${name} was paired with a better fit`,
      });
  }
  return out;
}

function runOptimalOneToOne(cp: CompiledProgram, candidates?: CandidateRows): MatchingResult {
  const solution = solveOneToOne(cp, candidates);
  const pairs: MatchedPair[] = [];
  for (const i of solution.mentees) {
    const j = solution.mentorOf[i]!;
    if (j >= 0) pairs.push(explainedPair(cp, j, i));
  }
  const solver: SolverReport = {
    algorithm: 'min_cost_assignment',
    provedOptimal: solution.provedOptimal,
    pricingRounds: solution.pricingRounds,
    candidateEdges: solution.candidateEdges,
  };
  if (solution.sampledMentees > 0)
    solver.note = `Candidates were chosen by score less the mentor prices of a ${solution.sampledMentees}-mentee sample solved first`;
  return assemble(cp, 'optimal', pairs, oneToOneUnmatched(cp, solution.mentorOf), solver);
}

function peerResult(
  cp: CompiledProgram,
  mode: MatchingResult['mode'],
  mateOf: Int32Array,
  solver: SolverReport,
) {
  const pairs: MatchedPair[] = [];
  for (const i of peerIndices(cp)) {
    const j = mateOf[i]!;
    if (j > i) pairs.push(explainedPair(cp, i, j));
  }
  return assemble(cp, mode, pairs, peerUnmatched(cp, mateOf), solver);
}

function runOptimalPeers(cp: CompiledProgram, note?: string): MatchingResult {
  const solution = solvePeers(cp);
  const solver: SolverReport = {
    algorithm: 'sparse_peer_pairs',
    provedOptimal: solution.provedOptimal,
    pricingRounds: solution.pricingRounds,
    candidateEdges: solution.candidateEdges,
  };
  if (note !== undefined) {
    solver.stable = false;
    solver.note = note;
  }
  return peerResult(cp, 'optimal', solution.mateOf, solver);
}

/**
 * A participant's list for stable matching: their own ranking (allowed partners only), then, unless
 * disabled, every other allowed partner by descending score (lower input position first on ties).
 */
export function preferenceList(cp: CompiledProgram, i: number, others: readonly number[]): Int32Array {
  const ranked = Array.from(cp.preferences[i]!).filter((j) => rolesFit(cp, i, j) && allowed(cp, i, j));
  if (cp.settings.preferences.completeWithScores === false) return Int32Array.from(ranked);
  const seen = new Set(ranked);
  const rest = others
    .filter((j) => !seen.has(j) && allowed(cp, i, j))
    .map((j) => ({ j, score: pairScore(cp, i, j) }))
    .sort((x, y) => y.score - x.score || x.j - y.j)
    .map((entry) => entry.j);
  return Int32Array.from([...ranked, ...rest]);
}

function runGaleShapley(cp: CompiledProgram): MatchingResult {
  const mentees: number[] = [];
  const mentors: number[] = [];
  for (let i = 0; i < cp.n; i++) {
    if (cp.role[i] === ROLE_MENTEE) mentees.push(i);
    else if (cp.role[i] === ROLE_MENTOR) mentors.push(i);
  }
  const proposer = cp.settings.preferences.proposer ?? 'mentee';
  const [proposers, receivers] = proposer === 'mentee' ? [mentees, mentors] : [mentors, mentees];
  const localOf = (side: number[]) => new Map(side.map((i, t) => [i, t]));
  const receiverLocal = localOf(receivers);
  const proposerLocal = localOf(proposers);
  const capacityOf = (side: number[]) => Int32Array.from(side, (i) => cp.capacity[i]!);
  const { proposerMates } = galeShapley(
    proposers.map((i) => Int32Array.from(preferenceList(cp, i, receivers), (j) => receiverLocal.get(j)!)),
    receivers.map((i) => Int32Array.from(preferenceList(cp, i, proposers), (j) => proposerLocal.get(j)!)),
    capacityOf(proposers),
    capacityOf(receivers),
  );
  const mentorOf = new Int32Array(cp.n).fill(-1);
  proposerMates.forEach((mates, p) => {
    for (const r of mates) {
      const [mentee, mentor] =
        proposer === 'mentee' ? [proposers[p]!, receivers[r]!] : [receivers[r]!, proposers[p]!];
      mentorOf[mentee] = mentor;
    }
  });
  const pairs = mentees.filter((i) => mentorOf[i]! >= 0).map((i) => explainedPair(cp, mentorOf[i]!, i));
  return assemble(cp, 'stable', pairs, oneToOneUnmatched(cp, mentorOf), {
    algorithm: 'gale_shapley',
    stable: true,
    proposer,
  });
}

function runRoommates(cp: CompiledProgram): MatchingResult {
  const peers = Array.from(peerIndices(cp));
  const local = new Map(peers.map((i, t) => [i, t]));
  const result = stableRoommates(
    peers.map((i) => Int32Array.from(preferenceList(cp, i, peers), (j) => local.get(j)!)),
  );
  if (!result.stable)
    return runOptimalPeers(
      cp,
      'No stable matching exists for these preferences; the maximum-score pairing is returned instead',
    );
  const mateOf = new Int32Array(cp.n).fill(-1);
  result.mate.forEach((mate, t) => {
    if (mate >= 0) mateOf[peers[t]!] = peers[mate]!;
  });
  return peerResult(cp, 'stable', mateOf, { algorithm: 'stable_roommates', stable: true });
}

function runCircles(cp: CompiledProgram): MatchingResult {
  const solution = solveCircles(cp);
  const local = new Map(Array.from(solution.peers, (i, t) => [i, t]));
  const mix = cp.settings.circleMixWeight;
  let spanning = 0;
  let pairCount = 0;
  const groups: CircleGroup[] = solution.groups.map((members) => {
    const pairs: CircleGroup['pairs'] = [];
    let sum = 0;
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) {
        const [a, b] = [members[x]!, members[y]!];
        const score = solution.score(local.get(a)!, local.get(b)!);
        pairs.push({ a: cp.ids[a]!, b: cp.ids[b]!, score });
        sum += score;
        const [da, db] = [cp.department[a]!, cp.department[b]!];
        if (da >= 0 && db >= 0 && da !== db) spanning++;
        pairCount++;
      }
    const meanPairScore = pairs.length === 0 ? 0 : sum / pairs.length;
    const departments = [...new Set(members.map((i) => cp.department[i]!).filter((d) => d >= 0))].map(
      (d) => cp.departmentNames[d]!,
    );
    const mixValue = departmentMix(departments.length, members.length);
    const best = pairs.reduce((top, pair) => (pair.score > top.score ? pair : top), pairs[0]!);
    const bestReasons = scorePairExplained(cp, cp.index.get(best.a)!, cp.index.get(best.b)!).reasons;
    const reasons = [
      departments.length > 1
        ? `Spans ${departments.length} departments: ${departments.join(', ')}`
        : 'Members share a department or did not give one',
      `Mean pair score ${meanPairScore.toFixed(2)} across ${pairs.length} pairs`,
      ...(bestReasons.length > 0
        ? [
            `Strongest pairing, ${cp.names[cp.index.get(best.a)!]} and ${cp.names[cp.index.get(best.b)!]}: ${bestReasons[0]}`,
          ]
        : []),
    ];
    return {
      members: members.map((i) => cp.ids[i]!),
      score: (1 - mix) * meanPairScore + mix * mixValue,
      meanPairScore,
      departmentMix: mixValue,
      pairs,
      reasons,
    };
  });
  const unmatched = roleMismatches(cp);
  const { min, max } = cp.settings.circleSize;
  for (const { index, reason } of solution.unmatched) {
    const name = cp.names[index]!;
    const detail =
      reason === 'not_enough_participants'
        ? `A circle needs at least ${min} peers and only ${solution.peers.length} enrolled`
        : reason === 'circles_full'
          ? `All circles already have the maximum of ${max} members`
          : `No circle could take ${name} without breaking a hard rule or the size limits`;
    unmatched.push({ id: cp.ids[index]!, reason, detail });
  }
  const matched = groups.reduce((total, group) => total + group.members.length, 0);
  return {
    format: 'circles',
    mode: 'optimal',
    weights: cp.weights,
    pairs: [],
    groups,
    unmatched,
    totals: computeTotals(
      groups.map((g) => g.score),
      { spanning, pairs: pairCount },
      matched,
      eligibleCount(cp),
      cp.n,
    ),
    solver: { algorithm: 'circles_local_search', localSearchMoves: solution.moves },
  };
}
