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
 * Maximum-weight peer pairs over all allowed pairs. The solver reads weights row by row (u, then
 * v = u + 1, u + 2, …), so a read of (u, u + 1) scores the whole row in one pass into a buffer that
 * serves the rest of it; any other read is scored on its own.
 */
export function solvePeers(cp: CompiledProgram): PeerSolution {
  const peers = peerIndices(cp);
  const scorer = new RowScorer(cp, peers);
  const row = new Float64Array(peers.length);
  let cachedRow = -1;
  const weight = (u: number, v: number): number | null => {
    if (u !== cachedRow && v === u + 1) {
      scorer.fullRow(peers[u]!, row, u + 1);
      cachedRow = u;
    }
    if (u === cachedRow && v > u) {
      const value = row[v]!;
      return value === Number.NEGATIVE_INFINITY ? null : value;
    }
    const [a, b] = [peers[u]!, peers[v]!];
    return allowed(cp, a, b) ? pairScore(cp, a, b) : null;
  };
  const result = solvePeerPairs(peers.length, weight, { k: cp.settings.candidates });
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
