import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowScorer } from '../src/candidates.ts';
import { explainPair, scorePairExplained } from '../src/explain.ts';
import { compileProgram } from '../src/profiles.ts';
import { mulberry32 } from '../src/random.ts';
import { allowed, exclusions, rolesFit } from '../src/rules.ts';
import { pairScore } from '../src/score.ts';
import { stem, tokenize } from '../src/text.ts';
import { criteria, type Participant, type ProgramFormat } from '../src/types.ts';
import { randomParticipants, ruleSettings, shapes } from './generators.ts';

const formats = fc.constantFrom<ProgramFormat>('one_to_one', 'peer_pairs', 'circles');

describe('pair scores', () => {
  it('lie in [0, 1] and their contributions add up to the score', () => {
    fc.assert(
      fc.property(shapes(8), ruleSettings, formats, (shape, rules, format) => {
        const cp = compileProgram({
          participants: randomParticipants(shape, format),
          settings: { format, ...rules },
        });
        for (let a = 0; a < cp.n; a++)
          for (let b = 0; b < cp.n; b++) {
            if (a === b) continue;
            const explained = scorePairExplained(cp, a, b);
            expect(explained.score).toBeGreaterThanOrEqual(0);
            expect(explained.score).toBeLessThanOrEqual(1 + 1e-12);
            for (const c of criteria) {
              expect(explained.criteria[c]).toBeGreaterThanOrEqual(0);
              expect(explained.criteria[c]).toBeLessThanOrEqual(1);
            }
            const sum = criteria.reduce((total, c) => total + explained.contributions[c], 0);
            expect(sum).toBeCloseTo(explained.score, 12);
            expect(explained.score).toBeCloseTo(pairScore(cp, a, b), 12);
            if (format !== 'one_to_one') expect(pairScore(cp, b, a)).toBeCloseTo(explained.score, 12);
          }
      }),
      { numRuns: 150 },
    );
  });

  it('are the same whether scored pair by pair or a whole row at once, with the same rules', () => {
    fc.assert(
      fc.property(shapes(9), ruleSettings, formats, (shape, rules, format) => {
        const cp = compileProgram({
          participants: randomParticipants(shape, format),
          settings: { format, ...rules },
        });
        const rowRole = format === 'one_to_one' ? 1 : 2;
        const columnRole = format === 'one_to_one' ? 0 : 2;
        const columns = Int32Array.from(
          [...cp.ids.keys()].filter((j) => cp.role[j] === columnRole && cp.capacity[j]! > 0),
        );
        const scorer = new RowScorer(cp, columns);
        const out = new Float64Array(columns.length);
        for (let i = 0; i < cp.n; i++) {
          if (cp.role[i] !== rowRole) continue;
          scorer.fullRow(i, out);
          columns.forEach((j, c) => {
            if (allowed(cp, i, j)) expect(out[c]).toBeCloseTo(pairScore(cp, i, j), 12);
            else expect(out[c]).toBe(Number.NEGATIVE_INFINITY);
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('score a row from a column on exactly as the whole row, leaving nothing behind for the next row', () => {
    fc.assert(
      fc.property(shapes(30, 8), ruleSettings, formats, fc.integer(), (shape, rules, format, pickSeed) => {
        const cp = compileProgram({
          participants: randomParticipants(shape, format),
          settings: { format, ...rules },
        });
        const rowRole = format === 'one_to_one' ? 1 : 2;
        const columnRole = format === 'one_to_one' ? 0 : 2;
        const columns = Int32Array.from(
          [...cp.ids.keys()].filter((j) => cp.role[j] === columnRole && cp.capacity[j]! > 0),
        );
        const scorer = new RowScorer(cp, columns);
        const whole = new Float64Array(columns.length);
        const tail = new Float64Array(columns.length);
        const rng = mulberry32(pickSeed);
        for (let i = 0; i < cp.n; i++) {
          if (cp.role[i] !== rowRole) continue;
          const from = Math.floor(rng() * (columns.length + 1));
          scorer.fullRow(i, tail, from);
          scorer.fullRow(i, whole);
          for (let c = 0; c < columns.length; c++)
            expect(tail[c]).toBe(c < from ? Number.NEGATIVE_INFINITY : whole[c]!);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('score listed columns exactly as a whole row does, pair by pair or through the postings', () => {
    fc.assert(
      // Programs of 20–60 people give rows with enough postings for short lists to go pair by pair.
      fc.property(shapes(60, 20), ruleSettings, formats, fc.integer(), (shape, rules, format, pickSeed) => {
        const cp = compileProgram({
          participants: randomParticipants(shape, format),
          settings: { format, ...rules },
        });
        const rowRole = format === 'one_to_one' ? 1 : 2;
        const columnRole = format === 'one_to_one' ? 0 : 2;
        const columns = Int32Array.from(
          [...cp.ids.keys()].filter((j) => cp.role[j] === columnRole && cp.capacity[j]! > 0),
        );
        const scorer = new RowScorer(cp, columns);
        const whole = new Float64Array(columns.length);
        const listed = new Float64Array(columns.length);
        const rng = mulberry32(pickSeed);
        for (let i = 0; i < cp.n; i++) {
          if (cp.role[i] !== rowRole) continue;
          // Short lists go pair by pair, the whole set through the postings.
          const list = Int32Array.from(columns.keys()).filter((_, c) => c === 0 || rng() < 0.3);
          for (const count of [Math.min(1, list.length), list.length]) {
            scorer.scoreColumns(i, list, count, listed);
            scorer.fullRow(i, whole);
            for (let t = 0; t < count; t++) expect(listed[t]).toBeCloseTo(whole[list[t]!]!, 12);
          }
          const all = Int32Array.from(columns.keys());
          scorer.scoreColumns(i, all, all.length, listed);
          for (let c = 0; c < all.length; c++) expect(listed[c]).toBeCloseTo(whole[c]!, 12);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('explainPair gives the excluding rules exactly when the pair is not allowed', () => {
    fc.assert(
      fc.property(shapes(8), ruleSettings, formats, (shape, rules, format) => {
        const cp = compileProgram({
          participants: randomParticipants(shape, format),
          settings: { format, ...rules },
        });
        for (let a = 0; a < cp.n; a++)
          for (let b = 0; b < cp.n; b++) {
            const explained = explainPair(cp, cp.ids[a]!, cp.ids[b]!);
            expect(explained.allowed).toBe(allowed(cp, a, b));
            expect(exclusions(cp, a, b).length === 0).toBe(allowed(cp, a, b));
            if (a !== b) expect(rolesFit(cp, a, b)).toBe(rolesFit(cp, b, a));
          }
      }),
      { numRuns: 150 },
    );
  });
});

const dana: Participant = {
  id: 'dana',
  name: 'Dana',
  role: 'mentor',
  department: 'Sales',
  skillsOffered: [{ name: 'Negotiation', level: 5 }],
  careerGoals: ['Become an engineering manager'],
  languages: ['en-GB'],
  utcOffsetMinutes: 60,
  experienceYears: 12,
  background: { country: 'Nigeria', caregiver: 'yes' },
};
const sam: Participant = {
  id: 'sam',
  name: 'Sam',
  role: 'mentee',
  department: 'Engineering',
  skillsWanted: [{ name: 'negotiation', targetLevel: 4 }],
  careerGoals: ['become an engineering manager'],
  languages: ['en'],
  utcOffsetMinutes: 0,
  experienceYears: 3,
  background: { country: 'Brazil' },
  managerId: 'lee',
};

describe('explanations an admin can read', () => {
  it('names the skill, the departments and the shared goal', () => {
    const cp = compileProgram({ participants: [dana, sam], settings: { format: 'one_to_one' } });
    const explained = explainPair(cp, 'dana', 'sam');
    if (!explained.allowed) throw new Error('pair should be allowed');
    expect(explained.reasons).toContain('Dana can teach negotiation, which Sam wants to grow');
    expect(explained.reasons).toContain('Different departments: Sales and Engineering');
    expect(explained.reasons).toContain('Both aim to become an engineering manager');
    expect(explained.criteria.skills).toBe(1);
    expect(explained.criteria.crossFunctional).toBe(1);
    expect(explained.criteria.diversity).toBe(1);
    expect(explained.criteria.experience).toBe(1);
  });

  it('reports every rule that excludes a pair, including transitive reporting lines and one-sided blocks', () => {
    const lee: Participant = { id: 'lee', role: 'mentor', department: 'Engineering', managerId: 'kim' };
    const kim: Participant = { id: 'kim', role: 'mentor', department: 'Engineering', blockedIds: ['sam'] };
    const cp = compileProgram({
      participants: [dana, sam, lee, kim],
      settings: { format: 'one_to_one', crossDepartmentOnly: true },
    });
    const excluded = explainPair(cp, 'sam', 'kim');
    expect(excluded.allowed).toBe(false);
    if (excluded.allowed) return;
    expect(excluded.exclusions.map((e) => e.rule).sort()).toEqual([
      'blocked',
      'same_department',
      'same_reporting_line',
    ]);
    expect(explainPair(cp, 'dana', 'lee')).toMatchObject({ allowed: false, exclusions: [{ rule: 'role' }] });
  });

  it('follows explicit manager chains through people outside the program', () => {
    const a: Participant = { id: 'a', role: 'peer', managerChain: ['m1', 'director'] };
    const b: Participant = { id: 'b', role: 'peer', managerChain: ['director'] };
    const c: Participant = { id: 'c', role: 'peer', managerChain: ['m2', 'vp'] };
    const d: Participant = { id: 'd', role: 'peer', managerId: 'a' };
    const cp = compileProgram({ participants: [a, b, c, d], settings: { format: 'peer_pairs' } });
    expect(allowed(cp, 0, 1)).toBe(true); // siblings under the same director
    expect(allowed(cp, 0, 3)).toBe(false); // a manages d
    expect(allowed(cp, 0, 2)).toBe(true);
  });
});

describe('text normalization', () => {
  it('brings word forms together and drops stop words', () => {
    expect(stem('management')).toBe(stem('managers'));
    expect(stem('engineering')).toBe(stem('engineers'));
    expect(stem('leadership')).toBe(stem('leading'));
    expect(tokenize(['Become an Engineering Manager'])).toEqual(tokenize(['engineering management']));
  });
});

describe('a pair scored by hand', () => {
  it('matches the documented formula with the default weights', () => {
    // Goals criterion = 0.6 × Jaccard(goal tokens) + 0.4 × Jaccard(interest tokens)
    //                 = 0.6 × |{rust}| / |{rust, kafka, golf}| + 0.4 × |{chess}| / |{chess, jazz}| = 0.4.
    // Nobody wants a skill (0), departments differ (1); background, time zone, languages,
    // availability and experience are unknown, so diversity, practical and experience are neutral (0.5).
    // Score = 0.35 × 0 + 0.20 × 0.4 + 0.15 × 1 + 0.10 × 0.5 + 0.10 × 0.5 + 0.10 × 0.5 = 0.38.
    const cp = compileProgram({
      participants: [
        { id: 'a', role: 'peer', department: 'Sales', careerGoals: ['rust kafka'], interests: ['chess'] },
        { id: 'b', role: 'peer', department: 'Legal', careerGoals: ['rust golf'], interests: ['chess jazz'] },
      ],
      settings: { format: 'peer_pairs' },
    });
    expect(pairScore(cp, 0, 1)).toBeCloseTo(0.38, 12);
  });
});
