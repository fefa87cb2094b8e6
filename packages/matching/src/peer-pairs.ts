import { RowScorer } from './candidates.ts';
import { type CompiledProgram, ROLE_PEER } from './profiles.ts';
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
 * Maximum-weight peer pairs over all allowed pairs. The solver asks for weights row by row (u
 * ascending, then v > u), so each row is scored once in a single pass and served from a buffer.
 */
export function solvePeers(cp: CompiledProgram): PeerSolution {
  const peers = peerIndices(cp);
  const scorer = new RowScorer(cp, peers);
  const row = new Float64Array(peers.length);
  let cachedRow = -1;
  const weight = (u: number, v: number): number | null => {
    if (u !== cachedRow) {
      scorer.fullRow(peers[u]!, row, u + 1);
      cachedRow = u;
    }
    const value = v > u ? row[v]! : Number.NEGATIVE_INFINITY;
    if (value === Number.NEGATIVE_INFINITY) {
      // Out-of-order calls (not the solver's pattern) fall back to scoring the one row afresh.
      if (v > u) return null;
      cachedRow = -1;
      return weight(v, u);
    }
    return value;
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
