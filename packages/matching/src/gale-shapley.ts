/**
 * Deferred acceptance with capacities on both sides (one side normally 1): proposers work down
 * their lists while they have room, receivers keep the best proposals up to their capacity. The
 * result is stable and the best stable matching for the proposing side.
 */
export interface StableAssignment {
  /** Receivers held by each proposer. */
  proposerMates: number[][];
  /** Proposers held by each receiver. */
  receiverMates: number[][];
}

export function galeShapley(
  proposerPrefs: readonly Int32Array[],
  receiverPrefs: readonly Int32Array[],
  proposerCapacity: Int32Array,
  receiverCapacity: Int32Array,
): StableAssignment {
  const receiverRank = receiverPrefs.map((prefs) => {
    const rank = new Map<number, number>();
    prefs.forEach((p, r) => {
      rank.set(p, r);
    });
    return rank;
  });
  const next = new Int32Array(proposerPrefs.length);
  const proposerMates: number[][] = proposerPrefs.map(() => []);
  const receiverMates: number[][] = receiverPrefs.map(() => []);
  const queue: number[] = [];
  for (let p = 0; p < proposerPrefs.length; p++) if (proposerCapacity[p]! > 0) queue.push(p);
  while (queue.length > 0) {
    const p = queue.shift()!;
    const prefs = proposerPrefs[p]!;
    while (proposerMates[p]!.length < proposerCapacity[p]! && next[p]! < prefs.length) {
      const r = prefs[next[p]!++]!;
      const rank = receiverRank[r]!;
      const myRank = rank.get(p);
      if (myRank === undefined || receiverCapacity[r]! === 0) continue;
      const held = receiverMates[r]!;
      if (held.length < receiverCapacity[r]!) {
        held.push(p);
        proposerMates[p]!.push(r);
        continue;
      }
      let worst = 0;
      for (let t = 1; t < held.length; t++) if (rank.get(held[t]!)! > rank.get(held[worst]!)!) worst = t;
      const dropped = held[worst]!;
      if (rank.get(dropped)! < myRank) continue;
      held[worst] = p;
      proposerMates[p]!.push(r);
      const mates = proposerMates[dropped]!;
      mates.splice(mates.indexOf(r), 1);
      queue.push(dropped);
    }
  }
  return { proposerMates, receiverMates };
}
