export {
  type AssignmentGraph,
  type AssignmentOptions,
  type AssignmentSolution,
  solveAssignment,
} from './assignment.ts';
export {
  type CandidateChunk,
  type CandidateSample,
  candidateChunkRanges,
  joinCandidateChunks,
  sampleCandidatePrices,
  scoreCandidateChunk,
} from './candidate-chunks.ts';
export { type CandidateRows, RowScorer, topCandidates } from './candidates.ts';
export { type CircleSolution, solveCircles } from './circles.ts';
export { explainPair, scorePairExplained } from './explain.ts';
export { galeShapley, type StableAssignment } from './gale-shapley.ts';
export { type OneToOneSolution, solveOneToOne } from './one-to-one.ts';
export { type PeerSolution, solvePeers } from './peer-pairs.ts';
export { type CompiledProgram, compileProgram, type ResolvedSettings } from './profiles.ts';
export { mulberry32, type Rng, seedToInt } from './random.ts';
export { type RoommatesResult, stableRoommates } from './roommates.ts';
export { allowed, exclusions } from './rules.ts';
export { preferenceList, type RunOptions, runCompiled, runMatching } from './run.ts';
export { pairScore } from './score.ts';
export * from './types.ts';
export { defaultWeights, normalizeWeights } from './weights.ts';
