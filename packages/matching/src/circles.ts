import { RowScorer } from './candidates.ts';
import { peerIndices } from './peer-pairs.ts';
import type { CompiledProgram } from './profiles.ts';
import { mulberry32, seedToInt, shuffleInPlace } from './random.ts';
import type { UnmatchedReason } from './types.ts';

/** Passes of improving moves before the search stops even if it could still improve. */
const MAX_PASSES = 60;
const EPSILON = 1e-12;

export interface CircleSolution {
  /** Participant indices per circle. */
  groups: number[][];
  unmatched: { index: number; reason: UnmatchedReason }[];
  /** Pair score of two peers (positions in `peers`), -Infinity when a hard rule forbids them together. */
  score: (a: number, b: number) => number;
  peers: Int32Array;
  moves: number;
}

/** (distinct known departments − 1) / (size − 1): 1 when everyone comes from a different team. */
export function departmentMix(distinct: number, size: number): number {
  return size <= 1 ? 0 : Math.max(0, distinct - 1) / (size - 1);
}

/**
 * A circle's worth to its members: size × ((1 − μ) × mean pair score + μ × department mix). Weighing
 * by size keeps one person's experience worth the same whichever circle they are in.
 */
function circleValue(size: number, pairSum: number, distinct: number, mix: number): number {
  if (size <= 1) return 0;
  const mean = (2 * pairSum) / (size * (size - 1));
  return size * ((1 - mix) * mean + mix * departmentMix(distinct, size));
}

/**
 * Circles of the configured size maximizing within-circle pair scores and department mix: a
 * greedy construction over a seeded order, then first-improvement local search with move and
 * swap steps. Hard rules hold between every two members of a circle throughout.
 */
export function solveCircles(cp: CompiledProgram): CircleSolution {
  const peers = peerIndices(cp);
  const n = peers.length;
  const { min, max, target } = cp.settings.circleSize;
  const mix = cp.settings.circleMixWeight;
  const matrix = new Float64Array(n * n);
  const scorer = new RowScorer(cp, peers);
  const row = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    scorer.fullRow(peers[a]!, row, a + 1);
    for (let b = a + 1; b < n; b++) {
      matrix[a * n + b] = row[b]!;
      matrix[b * n + a] = row[b]!;
    }
  }
  const score = (a: number, b: number) => matrix[a * n + b]!;
  const unmatched: CircleSolution['unmatched'] = [];
  if (n < min || n === 0) {
    for (const index of peers) unmatched.push({ index, reason: 'not_enough_participants' });
    return { groups: [], unmatched, score, peers, moves: 0 };
  }

  const fewest = Math.ceil(n / max);
  const most = Math.floor(n / min);
  const g = fewest <= most ? Math.min(most, Math.max(fewest, Math.round(n / target))) : most;
  const placed = Math.min(n, g * max);
  const quota = Array.from({ length: g }, (_, t) => Math.floor(placed / g) + (t < placed % g ? 1 : 0));

  const rng = mulberry32(seedToInt(cp.settings.seed));
  const order = shuffleInPlace(
    rng,
    Array.from({ length: n }, (_, a) => a),
  );
  const dept = Int32Array.from(peers, (i) => cp.department[i]!);
  const group = new Int32Array(n).fill(-1);
  const members: number[][] = Array.from({ length: g }, () => []);
  const pairSum = new Float64Array(g);
  const deptCount: Map<number, number>[] = Array.from({ length: g }, () => new Map());
  /** Sum of a's scores with each circle's members, and how many of them a may not meet. */
  const toGroup = new Float64Array(n * g);
  const conflicts = new Int32Array(n * g);

  const distinct = (t: number) => deptCount[t]!.size;
  const value = (t: number) => circleValue(members[t]!.length, pairSum[t]!, distinct(t), mix);
  const join = (a: number, t: number) => {
    pairSum[t]! += toGroup[a * g + t]!;
    members[t]!.push(a);
    group[a] = t;
    if (dept[a]! >= 0) deptCount[t]!.set(dept[a]!, (deptCount[t]!.get(dept[a]!) ?? 0) + 1);
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const s = score(a, b);
      if (s === Number.NEGATIVE_INFINITY) conflicts[b * g + t]!++;
      else toGroup[b * g + t]! += s;
    }
  };
  const leave = (a: number) => {
    const t = group[a]!;
    const list = members[t]!;
    list.splice(list.indexOf(a), 1);
    group[a] = -1;
    pairSum[t]! -= toGroup[a * g + t]!;
    if (dept[a]! >= 0) {
      const left = deptCount[t]!.get(dept[a]!)! - 1;
      if (left === 0) deptCount[t]!.delete(dept[a]!);
      else deptCount[t]!.set(dept[a]!, left);
    }
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const s = score(a, b);
      if (s === Number.NEGATIVE_INFINITY) conflicts[b * g + t]!--;
      else toGroup[b * g + t]! -= s;
    }
  };
  /** Value of circle t after removing `out` (or -1) and adding `into` (or -1). */
  const valueAfter = (t: number, out: number, into: number) => {
    let size = members[t]!.length;
    let sum = pairSum[t]!;
    const counts = deptCount[t]!;
    let kinds = counts.size;
    if (out >= 0) {
      size--;
      sum -= toGroup[out * g + t]!;
      if (dept[out]! >= 0 && counts.get(dept[out]!) === 1) kinds--;
    }
    if (into >= 0) {
      size++;
      const between = out >= 0 ? score(into, out) : 0;
      sum += toGroup[into * g + t]! - (between === Number.NEGATIVE_INFINITY ? 0 : between);
      const d = dept[into]!;
      if (d >= 0 && (!counts.has(d) || (out >= 0 && dept[out] === d && counts.get(d) === 1))) kinds++;
    }
    return circleValue(size, sum, kinds, mix);
  };

  let next = 0;
  for (; next < Math.min(g, n); next++) join(order[next]!, next);
  for (; next < n; next++) {
    const a = order[next]!;
    let best = -1;
    for (const limit of [quota, null]) {
      for (let t = 0; t < g; t++) {
        const size = members[t]!.length;
        if (size >= (limit ? limit[t]! : max) || conflicts[a * g + t]! > 0) continue;
        if (best < 0 || toGroup[a * g + t]! > toGroup[a * g + best]! + EPSILON) best = t;
      }
      if (best >= 0) break;
    }
    if (best >= 0) join(a, best);
    else
      unmatched.push({
        index: peers[a]!,
        reason: members.every((list) => list.length >= max) ? 'circles_full' : 'no_conflict_free_circle',
      });
  }

  let moves = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let improved = false;
    for (const a of order) {
      const from = group[a]!;
      if (from < 0) continue;
      for (let t = 0; t < g; t++) {
        if (t === from) continue;
        const base = value(from) + value(t);
        if (members[from]!.length > min && members[t]!.length < max && conflicts[a * g + t] === 0) {
          if (valueAfter(from, a, -1) + valueAfter(t, -1, a) > base + EPSILON) {
            leave(a);
            join(a, t);
            moves++;
            improved = true;
            break;
          }
        }
        let swapped = false;
        for (const b of members[t]!) {
          const self = score(a, b) === Number.NEGATIVE_INFINITY ? 1 : 0;
          if (conflicts[a * g + t]! - self > 0 || conflicts[b * g + from]! - self > 0) continue;
          if (valueAfter(from, a, b) + valueAfter(t, b, a) > base + EPSILON) {
            leave(a);
            leave(b);
            join(a, t);
            join(b, from);
            moves++;
            improved = true;
            swapped = true;
            break;
          }
        }
        if (swapped) break;
      }
    }
    if (!improved) break;
  }

  const groups: number[][] = [];
  for (const list of members) {
    if (list.length >= min) groups.push(list.map((a) => peers[a]!).sort((x, y) => x - y));
    else for (const a of list) unmatched.push({ index: peers[a]!, reason: 'no_conflict_free_circle' });
  }
  groups.sort((x, y) => x[0]! - y[0]!);
  return { groups, unmatched, score, peers, moves };
}
