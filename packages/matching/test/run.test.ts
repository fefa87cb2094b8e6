import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProgram } from '../src/profiles.ts';
import { allowed, exclusions } from '../src/rules.ts';
import { runMatching } from '../src/run.ts';
import { pairScore } from '../src/score.ts';
import { criteria, type Participant } from '../src/types.ts';
import { randomParticipants, ruleSettings, shapes } from './generators.ts';

function bestPeerTotal(cp: ReturnType<typeof compileProgram>): number {
  const peers = [...cp.ids.keys()].filter((i) => cp.role[i] === 2);
  const used = new Set<number>();
  const go = (t: number): number => {
    while (t < peers.length && used.has(peers[t]!)) t++;
    if (t === peers.length) return 0;
    const a = peers[t]!;
    used.add(a);
    let best = go(t + 1);
    for (const b of peers) {
      if (used.has(b) || !allowed(cp, a, b)) continue;
      used.add(b);
      best = Math.max(best, pairScore(cp, a, b) + go(t + 1));
      used.delete(b);
    }
    used.delete(a);
    return best;
  };
  return go(0);
}

describe('peer pairs', () => {
  it('reach the brute-force optimum without breaking a rule, and report everyone left out', () => {
    fc.assert(
      fc.property(shapes(9), ruleSettings, fc.integer({ min: 1, max: 3 }), (shape, rules, k) => {
        const participants = randomParticipants(shape, 'peer_pairs');
        const settings = { format: 'peer_pairs' as const, ...rules, candidates: k };
        const result = runMatching({ participants, settings });
        expect(runMatching({ participants, settings })).toEqual(result);
        const cp = compileProgram({ participants, settings });
        expect(result.solver.provedOptimal).toBe(true);
        // The pair solver optimizes weights quantised to 2^-20.
        expect(Math.abs(result.totals.sumScore - bestPeerTotal(cp))).toBeLessThan(1e-5);
        const seen = new Set<string>();
        for (const pair of result.pairs) {
          expect(exclusions(cp, cp.index.get(pair.a)!, cp.index.get(pair.b)!)).toEqual([]);
          seen.add(pair.a);
          seen.add(pair.b);
          const sum = criteria.reduce((t, c) => t + pair.contributions[c], 0);
          expect(sum).toBeCloseTo(pair.score, 12);
        }
        for (const u of result.unmatched) seen.add(u.id);
        expect(seen.size).toBe(participants.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('circles', () => {
  it('respect sizes and hard rules, place or explain everyone, and repeat for the same seed', () => {
    fc.assert(
      fc.property(shapes(14, 3), ruleSettings, fc.integer(), (shape, rules, seed) => {
        const participants = randomParticipants(shape, 'circles');
        const settings = {
          format: 'circles' as const,
          ...rules,
          seed,
          circleSize: { target: 3, min: 2, max: 4 },
        };
        const result = runMatching({ participants, settings });
        expect(runMatching({ participants, settings })).toEqual(result);
        const cp = compileProgram({ participants, settings });
        const seen = new Set<string>();
        for (const group of result.groups) {
          expect(group.members.length).toBeGreaterThanOrEqual(2);
          expect(group.members.length).toBeLessThanOrEqual(4);
          expect(group.score).toBeGreaterThanOrEqual(0);
          expect(group.score).toBeLessThanOrEqual(1 + 1e-12);
          for (const a of group.members)
            for (const b of group.members)
              if (a !== b) expect(allowed(cp, cp.index.get(a)!, cp.index.get(b)!)).toBe(true);
          for (const id of group.members) seen.add(id);
        }
        for (const u of result.unmatched) seen.add(u.id);
        expect(seen.size).toBe(participants.length);
      }),
      { numRuns: 150 },
    );
  });

  it('spread departments across circles when pair scores are otherwise equal', () => {
    const participants: Participant[] = ['Eng', 'Eng', 'Eng', 'Sales', 'Sales', 'Sales'].map(
      (department, i) => ({
        id: `p${i}`,
        role: 'peer',
        department,
      }),
    );
    const result = runMatching({
      participants,
      settings: { format: 'circles', circleSize: { target: 3, min: 3, max: 3 }, seed: 7 },
    });
    expect(result.groups).toHaveLength(2);
    // Two departments in circles of three: the best mix is two departments in each.
    for (const group of result.groups) expect(group.departmentMix).toBe(0.5);
    expect(result.totals.crossDepartmentShare).toBeCloseTo(4 / 6, 12);
  });
});

describe('runs an admin would recognize', () => {
  const mentor = (id: string, department: string, extra: Partial<Participant> = {}): Participant => ({
    id,
    name: id,
    role: 'mentor',
    department,
    capacity: 1,
    ...extra,
  });
  const mentee = (id: string, department: string, extra: Partial<Participant> = {}): Participant => ({
    id,
    name: id,
    role: 'mentee',
    department,
    ...extra,
  });

  it('gives the only negotiation mentor to the mentee who wants negotiation', () => {
    const result = runMatching({
      participants: [
        mentor('Dana', 'Sales', { skillsOffered: [{ name: 'negotiation', level: 5 }] }),
        mentor('Ravi', 'Finance', { skillsOffered: [{ name: 'budgeting', level: 5 }] }),
        mentee('Sam', 'Engineering', { skillsWanted: [{ name: 'Negotiation' }] }),
        mentee('Ana', 'Engineering', { skillsWanted: [{ name: 'budgeting' }] }),
      ],
      settings: { format: 'one_to_one' },
    });
    expect(result.pairs.map((p) => [p.a, p.b]).sort()).toEqual([
      ['Dana', 'Sam'],
      ['Ravi', 'Ana'],
    ]);
    expect(result.pairs.find((p) => p.a === 'Dana')!.reasons[0]).toBe(
      'Dana can teach negotiation, which Sam wants to grow',
    );
    expect(result.solver.provedOptimal).toBe(true);
  });

  it('never pairs a manager with their report, nor the same department under cross-department-only', () => {
    const result = runMatching({
      participants: [
        mentor('Lee', 'Engineering', { skillsOffered: [{ name: 'architecture', level: 5 }] }),
        mentor('Mo', 'Marketing'),
        mentee('Kai', 'Engineering', { managerId: 'Lee', skillsWanted: [{ name: 'architecture' }] }),
        mentee('Zoe', 'Engineering', { skillsWanted: [{ name: 'architecture' }] }),
      ],
      settings: { format: 'one_to_one', crossDepartmentOnly: true },
    });
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([['Mo', 'Kai']]);
    expect(result.unmatched).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'Zoe', reason: 'capacity_exhausted' }),
        expect.objectContaining({ id: 'Lee', reason: 'no_allowed_partner' }),
      ]),
    );
  });

  it('fills mentor capacity and maximizes matched mentees first by default', () => {
    const participants = [
      mentor('Dana', 'Sales', { capacity: 2, skillsOffered: [{ name: 'negotiation', level: 5 }] }),
      mentee('A', 'Engineering', { skillsWanted: [{ name: 'negotiation' }] }),
      mentee('B', 'Engineering', { skillsWanted: [{ name: 'negotiation' }] }),
      mentee('C', 'Engineering', { skillsWanted: [{ name: 'negotiation' }] }),
    ];
    const result = runMatching({ participants, settings: { format: 'one_to_one' } });
    expect(result.pairs).toHaveLength(2);
    expect(result.unmatched).toEqual([expect.objectContaining({ id: 'C', reason: 'capacity_exhausted' })]);
    expect(result.totals.matchedShare).toBeCloseTo(3 / 4, 12);
  });

  it('reports the odd person out of a peer program', () => {
    const participants: Participant[] = ['a', 'b', 'c'].map((id, i) => ({
      id,
      role: 'peer',
      department: ['Eng', 'Sales', 'Ops'][i]!,
    }));
    const result = runMatching({ participants, settings: { format: 'peer_pairs' } });
    expect(result.pairs).toHaveLength(1);
    expect(result.unmatched).toEqual([expect.objectContaining({ reason: 'odd_one_out' })]);
    expect(result.totals.crossDepartmentShare).toBe(1);
  });

  it('falls back to the best-score pairing when the peers’ rankings admit no stable matching', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const ranks = [
      ['b', 'c', 'd'],
      ['c', 'a', 'd'],
      ['a', 'b', 'd'],
      ['a', 'b', 'c'],
    ];
    const participants: Participant[] = ids.map((id, i) => ({ id, role: 'peer', preferences: ranks[i]! }));
    const result = runMatching({
      participants,
      settings: { format: 'peer_pairs', preferences: { completeWithScores: false } },
    });
    expect(result.mode).toBe('optimal');
    expect(result.solver).toMatchObject({ stable: false, algorithm: 'sparse_peer_pairs' });
    expect(result.pairs).toHaveLength(2);
  });

  it('reports fairness as the lowest quarter of pair scores', () => {
    const participants = randomParticipants({ seed: 11, n: 12 }, 'peer_pairs');
    const result = runMatching({ participants, settings: { format: 'peer_pairs' } });
    const scores = result.pairs.map((p) => p.score).sort((x, y) => x - y);
    const quarter = scores.slice(0, Math.max(1, Math.ceil(scores.length / 4)));
    expect(result.totals.fairness).toBeCloseTo(quarter.reduce((t, s) => t + s, 0) / quarter.length, 12);
    expect(result.totals.meanScore).toBeCloseTo(result.totals.sumScore / scores.length, 12);
  });
});
