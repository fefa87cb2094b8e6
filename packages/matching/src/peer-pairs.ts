import { RowScorer } from './candidates.ts';
import { type CompiledProgram, ROLE_PEER } from './profiles.ts';
import { allowed } from './rules.ts';
import { pairScore } from './score.ts';
import { solvePeerPairs } from './sparse-pairs.ts';

export interface PeerSolution {
  /** Participant index → partner participant index, or -1. */
  mateOf: Int32Array;
  peers: Int32Array;
  total: number;
  provedOptimal: boolean;
  pricingRounds: number;
  candidateEdges: number;
}

/** Participant indices of everyone enrolled as a peer, in input order. */
export function peerIndices(cp: CompiledProgram): Int32Array {
  const peers: number[] = [];
  for (let i = 0; i < cp.n; i++) if (cp.role[i] === ROLE_PEER) peers.push(i);
  return Int32Array.from(peers);
}

/**
 * Maximum-weight peer pairs over all allowed pairs. The solver reads weights row by row through
 * the row scorer (one pass over the row's postings and columns); single pairs it prices or totals
 * are scored on their own.
 */
export function solvePeers(cp: CompiledProgram): PeerSolution {
  const peers = peerIndices(cp);
  const scorer = new RowScorer(cp, peers);
  const row = new Float64Array(peers.length);
  const weight = (u: number, v: number): number | null => {
    const [a, b] = [peers[u]!, peers[v]!];
    return allowed(cp, a, b) ? pairScore(cp, a, b) : null;
  };
  const rowWeights = (u: number, out: Float64Array): void => {
    scorer.fullRow(peers[u]!, row, u + 1);
    out.set(row.subarray(u + 1));
  };
  const result = solvePeerPairs(peers.length, weight, { k: cp.settings.candidates, rowWeights });
  const mateOf = new Int32Array(cp.n).fill(-1);
  result.mate.forEach((mate, u) => {
    if (mate >= 0) mateOf[peers[u]!] = peers[mate]!;
  });
  return {
    mateOf,
    peers,
    total: result.total,
    provedOptimal: result.provedOptimal,
    pricingRounds: result.rounds,
    candidateEdges: result.graphEdges,
  };
}
