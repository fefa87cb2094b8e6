import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AssignmentGraph,
  type AssignmentSolution,
  AssignmentSolver,
  solveAssignment,
} from '../src/assignment.ts';
import { auctionPrices } from '../src/auction.ts';
import { type CandidateRows, topCandidatesOf } from '../src/candidates.ts';
import { maximumMatching } from '../src/cardinality.ts';
import { solveOneToOne } from '../src/one-to-one.ts';
import { denseScan, type PricedProblem, solvePriced } from '../src/priced.ts';
import { compileProgram } from '../src/profiles.ts';
import { mulberry32 } from '../src/random.ts';
import { allowed } from '../src/rules.ts';
import { pairScore } from '../src/score.ts';
import type { Participant } from '../src/types.ts';
import { type RuleSettings, randomParticipants, ruleSettings, shapes } from './generators.ts';

type Best = { count: number; weight: number };

/** A one_to_one program with the drawn rules, candidate count and objective. */
function oneToOne(participants: Participant[], rules: RuleSettings, k: number, cardinalityFirst: boolean) {
  return compileProgram({
    participants,
    settings: {
      format: 'one_to_one',
      ...rules,
      candidates: k,
      objective: cardinalityFirst ? 'cardinality_then_weight' : 'weight',
    },
  });
}

function bruteForce(cp: ReturnType<typeof compileProgram>, cardinalityFirst: boolean): Best {
  const mentees = [...cp.ids.keys()].filter((i) => cp.role[i] === 1);
  const mentors = [...cp.ids.keys()].filter((i) => cp.role[i] === 0);
  const left = new Map(mentors.map((j) => [j, cp.capacity[j]!]));
  let best: Best = { count: 0, weight: 0 };
  const better = (a: Best, b: Best) =>
    cardinalityFirst
      ? a.count > b.count || (a.count === b.count && a.weight > b.weight + 1e-12)
      : a.weight > b.weight + 1e-12;
  const go = (t: number, count: number, weight: number) => {
    if (t === mentees.length) {
      if (better({ count, weight }, best)) best = { count, weight };
      return;
    }
    go(t + 1, count, weight);
    const i = mentees[t]!;
    for (const j of mentors) {
      if (left.get(j)! === 0 || !allowed(cp, j, i)) continue;
      left.set(j, left.get(j)! - 1);
      go(t + 1, count + 1, weight + pairScore(cp, j, i));
      left.set(j, left.get(j)! + 1);
    }
  };
  go(0, 0, 0);
  return best;
}

describe('one_to_one assignment', () => {
  it('equals brute force in both objective modes, with any candidate count, and proves it', () => {
    fc.assert(
      fc.property(
        shapes(9),
        ruleSettings,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (shape, rules, k, cardinalityFirst) => {
          const participants = randomParticipants(shape, 'one_to_one');
          const cp = oneToOne(participants, rules, k, cardinalityFirst);
          const solution = solveOneToOne(cp);
          const expected = bruteForce(cp, cardinalityFirst);
          expect(solution.provedOptimal).toBe(true);
          expect(solution.total).toBeCloseTo(expected.weight, 9);
          const load = new Map<number, number>();
          let count = 0;
          let total = 0;
          solution.mentorOf.forEach((mentor, mentee) => {
            if (mentor < 0) return;
            count++;
            expect(allowed(cp, mentor, mentee)).toBe(true);
            load.set(mentor, (load.get(mentor) ?? 0) + 1);
            total += pairScore(cp, mentor, mentee);
          });
          for (const [mentor, used] of load) expect(used).toBeLessThanOrEqual(cp.capacity[mentor]!);
          expect(total).toBeCloseTo(expected.weight, 9);
          if (cardinalityFirst) expect(count).toBe(expected.count);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** A random sparse graph; `extraShare` of its edges are held back for a later `extend`. */
function randomGraph(seed: number, integral: boolean) {
  const rng = mulberry32(seed);
  const rows = 1 + Math.floor(rng() * 14);
  const columns = 1 + Math.floor(rng() * 8);
  const capacity = Int32Array.from({ length: columns }, () => Math.floor(rng() * 3));
  const density = 0.2 + 0.7 * rng();
  const edges: { r: number; c: number; w: number; late: boolean }[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      if (rng() < density) {
        const w = integral ? Math.floor(rng() * 8) : rng();
        edges.push({ r, c, w, late: rng() < 0.4 });
      }
  return { rows, columns, capacity, edges };
}

function toGraph(g: ReturnType<typeof randomGraph>, withLate: boolean): AssignmentGraph {
  const kept = g.edges.filter((e) => withLate || !e.late);
  const start = new Int32Array(g.rows + 1);
  for (const e of kept) start[e.r + 1]!++;
  for (let r = 0; r < g.rows; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, g.rows);
  const column = new Int32Array(kept.length);
  const weight = new Float64Array(kept.length);
  for (const e of kept) {
    const slot = fill[e.r]!++;
    column[slot] = e.c;
    weight[slot] = e.w;
  }
  return { rows: g.rows, columns: g.columns, start, column, weight, capacity: g.capacity };
}

/** Checks the LP certificate: feasible duals, tight assigned edges, complementary slackness. */
function expectCertificate(graph: AssignmentGraph, s: AssignmentSolution) {
  const tol = 1e-9 * Math.max(1, s.bonus);
  const load = new Int32Array(graph.columns);
  for (let r = 0; r < graph.rows; r++) {
    const mate = s.rowMate[r]!;
    if (mate >= 0) load[mate]!++;
    else expect(s.rowDual[r]).toBeLessThanOrEqual(tol);
    for (let e = graph.start[r]!; e < graph.start[r + 1]!; e++) {
      const c = graph.column[e]!;
      const slack = s.rowDual[r]! + s.columnDual[c]! - graph.weight[e]! - s.bonus;
      expect(slack).toBeGreaterThanOrEqual(-tol);
      if (c === mate) expect(Math.abs(slack)).toBeLessThanOrEqual(tol);
    }
  }
  for (let c = 0; c < graph.columns; c++) {
    expect(load[c]).toBeLessThanOrEqual(graph.capacity[c]!);
    if (load[c]! < graph.capacity[c]!) expect(s.columnDual[c]).toBeLessThanOrEqual(tol);
  }
}

describe('one_to_one from the duals of a sample', () => {
  it('chooses candidates by score less the duals of a sample and reaches the same proved optimum', () => {
    fc.assert(
      fc.property(
        shapes(70, 30),
        ruleSettings,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        // Parts from one to more than there are mentors.
        fc.integer({ min: 1, max: 40 }),
        (shape, rules, k, cardinalityFirst, parts) => {
          const rng = mulberry32(shape.seed);
          // Mentors with room for two to five mentees, so that the sample can scale them down.
          const participants = randomParticipants(shape, 'one_to_one').map((person) =>
            person.role === 'mentor' ? { ...person, capacity: 2 + Math.floor(rng() * 4) } : person,
          );
          const cp = oneToOne(participants, rules, k, cardinalityFirst);
          const sampled = solveOneToOne(cp, undefined, { sampleFrom: 1, sampleParts: parts });
          const plain = solveOneToOne(cp);
          expect(sampled.provedOptimal).toBe(true);
          expect(plain.provedOptimal).toBe(true);
          expect(sampled.sampledMentees).toBeGreaterThan(0);
          expect(plain.sampledMentees).toBe(0);
          // Both proofs ignore violations below 1e-9 a pair, so two optima may differ by that much.
          expect(sampled.total).toBeCloseTo(plain.total, 6);
          let assigned = 0;
          sampled.mentorOf.forEach((mentor, mentee) => {
            if (mentor < 0) return;
            assigned++;
            expect(allowed(cp, mentor, mentee)).toBe(true);
          });
          if (cardinalityFirst) expect(assigned).toBe([...plain.mentorOf].filter((j) => j >= 0).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('assignment solver warm start', () => {
  it('extending a solved graph with new edges gives the cold optimum and a valid certificate', () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), fc.boolean(), (seed, cardinalityFirst, integral) => {
        const g = randomGraph(seed, integral);
        const before = toGraph(g, false);
        const after = toGraph(g, true);
        const options = { cardinalityFirst, weightBound: integral ? 8 : 1 };
        const warm = new AssignmentSolver(before, options);
        warm.solve();
        const changed = Int32Array.from(new Set(g.edges.filter((e) => e.late).map((e) => e.r)));
        warm.extend(after, changed);
        const cold = new AssignmentSolver(after, options);
        cold.solve();
        const w = warm.solution();
        const c = cold.solution();
        // Zero-weight edges make the count ambiguous when only weight counts.
        if (cardinalityFirst) expect(w.assigned).toBe(c.assigned);
        expect(w.total).toBeCloseTo(c.total, 9);
        expectCertificate(after, w);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('maximum-cardinality matching', () => {
  // The oracle is the weighted solver's cardinality-first mode, itself checked against brute force above.
  it('places as many rows as the cardinality-first optimum, on edges of the graph, within capacity', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const drawn = randomGraph(seed, false);
        const graph = toGraph(drawn, true);
        const optimum = solveAssignment(graph, { cardinalityFirst: true }).assigned;
        // From scratch, and grown from a maximum matching of the graph without its late edges.
        const before = maximumMatching(toGraph(drawn, false));
        for (const m of [maximumMatching(graph), maximumMatching(graph, before.rowMate)]) {
          expect(m.size).toBe(optimum);
          const load = new Int32Array(graph.columns);
          let placed = 0;
          for (let r = 0; r < graph.rows; r++) {
            const c = m.rowMate[r]!;
            if (c < 0) continue;
            placed++;
            load[c]!++;
            expect(graph.column.subarray(graph.start[r]!, graph.start[r + 1]!)).toContain(c);
          }
          expect(placed).toBe(m.size);
          expect([...load]).toEqual([...m.load]);
          for (let c = 0; c < graph.columns; c++) expect(load[c]).toBeLessThanOrEqual(graph.capacity[c]!);
        }
      }),
      { numRuns: 800 },
    );
  });
});

describe('assignment solver started from column prices', () => {
  it('gives the cold optimum and a valid certificate from auction prices or any prices', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('auction', 'auction from drawn prices', 'drawn prices'),
        (seed, cardinalityFirst, integral, from) => {
          const graph = toGraph(randomGraph(seed, integral), true);
          const options = { cardinalityFirst, weightBound: integral ? 8 : 1 };
          const cold = new AssignmentSolver(graph, options);
          cold.solve();
          const warm = new AssignmentSolver(graph, options);
          const rng = mulberry32(seed ^ 0x5bd1e995);
          // Drawn prices are non-negative, as the solver's column duals; the auction's start may
          // be anything (it is shifted).
          const drawn = Float64Array.from({ length: graph.columns }, () => rng() * options.weightBound);
          const prices =
            from === 'drawn prices'
              ? drawn
              : auctionPrices(graph, {
                  bonus: warm.bonus,
                  ...(from === 'auction'
                    ? {}
                    : { start: drawn.map((price) => price - options.weightBound / 2) }),
                });
          warm.solve(prices);
          const w = warm.solution();
          const c = cold.solution();
          if (cardinalityFirst) expect(w.assigned).toBe(c.assigned);
          expect(w.total).toBeCloseTo(c.total, 9);
          expectCertificate(graph, w);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

/**
 * Each row's best k (by the lists' own order) stay in the lists and the rest go to the reserve with
 * `bound(r, c)`; with nothing reserved, the lists as they are.
 */
function splitReserve(
  lists: CandidateRows,
  k: number,
  reserved: number,
  bound: (r: number, c: number) => number,
): Pick<CandidateRows, 'start' | 'column' | 'score' | 'reserve'> {
  if (reserved === 0) return lists;
  const rows = lists.start.length - 1;
  const kept: { r: number; c: number; score: number }[] = [];
  const waiting: { r: number; c: number }[] = [];
  for (let r = 0; r < rows; r++) {
    const entries = [];
    for (let t = lists.start[r]!; t < lists.start[r + 1]!; t++)
      entries.push({ r, c: lists.column[t]!, score: lists.score[t]! });
    entries.sort((a, b) => b.score - a.score || a.c - b.c);
    kept.push(...entries.slice(0, k));
    waiting.push(...entries.slice(k));
  }
  const startsOf = (entries: { r: number }[]) => {
    const start = new Int32Array(rows + 1);
    for (const { r } of entries) start[r + 1]!++;
    for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
    return start;
  };
  return {
    start: startsOf(kept),
    column: Int32Array.from(kept, (e) => e.c),
    score: Float64Array.from(kept, (e) => e.score),
    reserve: {
      start: startsOf(waiting),
      column: Int32Array.from(waiting, (e) => e.c),
      bound: Float64Array.from(waiting, (e) => bound(e.r, e.c)),
    },
  };
}

describe('priced assignment over a dense score function', () => {
  it('equals the dense optimum from any candidate count and reserve, and proves it', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (seed, k, cardinalityFirst, integral, chosenUnderPrices, reserved) => {
          const rng = mulberry32(seed);
          const rows = 1 + Math.floor(rng() * 16);
          const columns = 1 + Math.floor(rng() * 10);
          const capacity = Int32Array.from({ length: columns }, () => Math.floor(rng() * 3));
          const forbidden = rng() * 0.5;
          const matrix = Float64Array.from({ length: rows * columns }, () =>
            rng() < forbidden ? Number.NEGATIVE_INFINITY : integral ? Math.floor(rng() * 6) : rng(),
          );
          const scoreRow = (r: number, out: Float64Array) =>
            out.set(matrix.subarray(r * columns, (r + 1) * columns));
          const problem: PricedProblem = {
            rows,
            columns,
            capacity,
            scoreColumns: (r, list, count, out) => {
              for (let t = 0; t < count; t++) out[t] = matrix[r * columns + list[t]!]!;
            },
            ...denseScan(columns, scoreRow),
          };
          const weightBound = integral ? 6 : 1;
          // Lists may be the top-k by score less a price per column (some zero), as from a sample.
          const base = Float64Array.from({ length: columns }, () =>
            rng() < 0.3 ? 0 : integral ? Math.floor(rng() * 6) : rng(),
          );
          // The next `reserved` best may wait in reserve, with bounds at or above their scores.
          const chosen = chosenUnderPrices
            ? {
                ...topCandidatesOf(rows, columns, k + reserved, (r, out) => {
                  scoreRow(r, out);
                  for (let c = 0; c < columns; c++) out[c]! -= base[c]!;
                }),
                base,
              }
            : topCandidatesOf(rows, columns, k + reserved, scoreRow);
          const slack = () => (rng() < 0.5 ? 0 : integral ? Math.floor(rng() * 3) : rng() * 0.2);
          const candidates = {
            ...chosen,
            ...splitReserve(chosen, k, reserved, (r, c) => matrix[r * columns + c]! + slack()),
          };
          if (chosenUnderPrices)
            for (let r = 0; r < rows; r++)
              for (let t = candidates.start[r]!; t < candidates.start[r + 1]!; t++)
                candidates.score[t] = matrix[r * columns + candidates.column[t]!]!;
          const priced = solvePriced(problem, candidates, {
            cardinalityFirst,
            weightBound,
            ...(integral ? { tolerance: 0.5 } : {}),
          });
          const dense = topCandidatesOf(rows, columns, columns, scoreRow);
          const cold = solveAssignment(
            { rows, columns, start: dense.start, column: dense.column, weight: dense.score, capacity },
            { cardinalityFirst, weightBound },
          );
          expect(priced.provedOptimal).toBe(true);
          if (cardinalityFirst) expect(priced.assigned).toBe(cold.assigned);
          expect(priced.total).toBeCloseTo(cold.total, 9);
          const load = new Int32Array(columns);
          let total = 0;
          priced.rowMate.forEach((c, r) => {
            if (c < 0) return;
            load[c]!++;
            total += matrix[r * columns + c]!;
            expect(matrix[r * columns + c]).toBeGreaterThan(Number.NEGATIVE_INFINITY);
          });
          for (let c = 0; c < columns; c++) expect(load[c]).toBeLessThanOrEqual(capacity[c]!);
          expect(total).toBeCloseTo(cold.total, 9);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
