/**
 * The matching package's own input and output types. The API layer maps stored people,
 * enrollments and program settings onto these; nothing here depends on storage.
 */

export type Role = 'mentor' | 'mentee' | 'peer';
export type ProgramFormat = 'one_to_one' | 'peer_pairs' | 'circles';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface SkillOffered {
  name: string;
  /** 1 = beginner … 5 = expert. */
  level: number;
}

export interface SkillWanted {
  name: string;
  /** Level (1–5) the person wants to reach; when omitted, two levels above their own (at least 3). */
  targetLevel?: number;
}

/** A weekly slot in the participant's own local time, e.g. `{ day: 'tue', start: '09:00', end: '11:30' }`. */
export interface WeeklySlot {
  day: Weekday;
  start: string;
  end: string;
}

export interface Participant {
  id: string;
  /** Used only in explanations; defaults to the id. */
  name?: string;
  role: Role;
  department?: string;
  /** Direct manager. Chains are followed through other participants' `managerId`. */
  managerId?: string;
  /**
   * The full upward reporting chain (direct manager first), when it runs through people who are not
   * in the program. Takes precedence over `managerId`.
   */
  managerChain?: string[];
  skillsOffered?: SkillOffered[];
  skillsWanted?: SkillWanted[];
  careerGoals?: string[];
  interests?: string[];
  /** Self-described background attributes, only those the person chose to share. */
  background?: Record<string, string>;
  /**
   * Offset from UTC in minutes (e.g. 60 for CET, -300 for EST). The API resolves IANA zones to an
   * offset at the program's start so that matching stays a pure function of its input.
   */
  utcOffsetMinutes?: number;
  /** Weekly availability in local time; compared on a 30-minute grid after shifting to UTC. */
  availability?: WeeklySlot[];
  /** Language tags; compared case-insensitively on the primary subtag (`pt-BR` speaks with `pt`). */
  languages?: string[];
  /** Years of professional experience. */
  experienceYears?: number;
  /** Mentors only: how many mentees they take (default 1). */
  capacity?: number;
  previousPartnerIds?: string[];
  /** People this participant must never be matched with (applies in both directions). */
  blockedIds?: string[];
  /** Ranked ids of people this participant would like to be matched with, best first. */
  preferences?: string[];
}

export const criteria = [
  'skills',
  'goals',
  'crossFunctional',
  'diversity',
  'practical',
  'experience',
] as const;
export type Criterion = (typeof criteria)[number];
export type CriterionWeights = Record<Criterion, number>;

export interface CircleSize {
  target: number;
  min: number;
  max: number;
}

export interface PreferenceSettings {
  /** `auto` (default) uses stable matching when anyone ranked anybody. */
  use?: 'auto' | 'always' | 'never';
  /** Which side proposes in Gale–Shapley (default `mentee`); proposers get their best stable matching. */
  proposer?: 'mentee' | 'mentor';
  /**
   * After a participant's own ranking, the remaining allowed partners follow by descending score
   * (default true). When false, only ranked people are acceptable.
   */
  completeWithScores?: boolean;
}

export interface ProgramSettings {
  format: ProgramFormat;
  /** Relative weights; omitted criteria take the defaults; normalized to sum 1. */
  weights?: Partial<CriterionWeights>;
  crossDepartmentOnly?: boolean;
  excludeSameReportingLine?: boolean;
  excludePreviousPartners?: boolean;
  /**
   * Allowed experience gap in years. For one_to_one it is signed (mentor minus mentee), so `min: 2`
   * asks for mentors at least two years ahead; for peers it is the absolute difference.
   */
  experienceGap?: { min?: number; max?: number };
  circleSize?: CircleSize;
  /** Weight of the department mix against pair scores within a circle (0–1, default 0.2). */
  circleMixWeight?: number;
  /** one_to_one: `cardinality_then_weight` (default) matches as many mentees as possible first. */
  objective?: 'weight' | 'cardinality_then_weight';
  /** Candidate partners kept per person before optimality is certified (default 30). */
  candidates?: number;
  preferences?: PreferenceSettings;
  seed?: number | string;
}

export interface MatchingInput {
  participants: Participant[];
  settings: ProgramSettings;
}

export type ExclusionRule =
  | 'same_person'
  | 'role'
  | 'same_department'
  | 'same_reporting_line'
  | 'previous_partners'
  | 'blocked'
  | 'experience_gap'
  | 'no_capacity';

export interface Exclusion {
  rule: ExclusionRule;
  message: string;
}

export interface ScoredPair {
  score: number;
  /** Raw criterion values, each in [0, 1]. */
  criteria: CriterionWeights;
  /** Weighted contributions; they add up to `score`. */
  contributions: CriterionWeights;
  /** Plain-language reasons, strongest first. */
  reasons: string[];
}

export type PairExplanation = ({ allowed: true } & ScoredPair) | { allowed: false; exclusions: Exclusion[] };

export interface MatchedPair extends ScoredPair {
  /** For one_to_one `a` is the mentor and `b` the mentee. */
  a: string;
  b: string;
  /** Set in preference mode: the ranks (0 = first choice) each side gave the other, when ranked. */
  rankAtoB?: number;
  rankBtoA?: number;
}

export interface CircleGroup {
  members: string[];
  /** (1 − mix weight) × mean pair score + mix weight × department mix, in [0, 1]. */
  score: number;
  meanPairScore: number;
  /** (distinct departments − 1) / (size − 1). */
  departmentMix: number;
  pairs: { a: string; b: string; score: number }[];
  reasons: string[];
}

export type UnmatchedReason =
  | 'odd_one_out'
  | 'no_allowed_partner'
  | 'not_chosen'
  | 'capacity_exhausted'
  | 'role_not_in_format'
  | 'not_enough_participants'
  | 'no_conflict_free_circle'
  | 'circles_full';

export interface Unmatched {
  id: string;
  reason: UnmatchedReason;
  detail: string;
}

export interface Totals {
  matches: number;
  participants: number;
  /** Sum of pair scores (circles: of circle scores). */
  sumScore: number;
  meanScore: number;
  /** Matched participants among those eligible for the format. */
  matchedShare: number;
  /** Share of pairs (circles: of within-circle pairs) spanning two known, different departments. */
  crossDepartmentShare: number;
  /** Mean score of the lowest-scored quarter of matches (at least one). */
  fairness: number;
}

export interface SolverReport {
  algorithm:
    | 'min_cost_assignment'
    | 'sparse_peer_pairs'
    | 'gale_shapley'
    | 'stable_roommates'
    | 'circles_local_search';
  /** Whether the solution was proved optimal on the full allowed graph (exact solvers). */
  provedOptimal?: boolean;
  pricingRounds?: number;
  candidateEdges?: number;
  /** Preference mode: whether a stable matching exists (and was returned). */
  stable?: boolean;
  proposer?: 'mentee' | 'mentor';
  note?: string;
  localSearchMoves?: number;
}

export interface MatchingResult {
  format: ProgramFormat;
  mode: 'optimal' | 'stable';
  weights: CriterionWeights;
  pairs: MatchedPair[];
  groups: CircleGroup[];
  unmatched: Unmatched[];
  totals: Totals;
  solver: SolverReport;
}

export class MatchingInputError extends Error {
  override name = 'MatchingInputError';
}
