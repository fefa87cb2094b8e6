import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type HealthInput,
  healthBasis,
  healthBasisInput,
  healthBasisOf,
  scoreHealth,
} from '../src/health.ts';

const DAY = 86_400_000;
const start = Date.parse('2027-01-04T09:00:00Z');
const at = (days: number) => new Date(start + days * DAY).toISOString();

/** A relationship started on `start`, judged `days` later, meeting every 2 weeks by agreement. */
function input(days: number, changes: Partial<HealthInput> = {}): HealthInput {
  return {
    relationship: { startedAt: at(0), createdAt: at(0) },
    program: { meetingCadence: 'monthly', endDate: '2027-07-02' },
    agreement: { cadence: { every: 2, unit: 'weeks', durationMinutes: 45 } },
    meetings: [],
    goals: [],
    feedback: [],
    now: new Date(start + days * DAY),
    ...changes,
  };
}

const held = (...days: number[]) => days.map((d) => ({ status: 'held' as const, startsAt: at(d) }));
const component = (result: ReturnType<typeof scoreHealth>, key: string) =>
  result.components.find((c) => c.key === key)!;

describe('relationship health score', () => {
  test('a pair meeting every two weeks as agreed, on track with its goals and rating meetings well, is healthy', () => {
    const result = scoreHealth(
      input(60, {
        meetings: held(1, 15, 29, 43, 57),
        goals: [{ status: 'in_progress', progress: 50 }],
        feedback: [
          { rating: 5, createdAt: at(57) },
          { rating: 4, createdAt: at(43) },
        ],
      }),
    );
    expect(result.atRisk).toBe(false);
    expect(result.score).toBeGreaterThanOrEqual(90);
    expect(component(result, 'cadence')).toMatchObject({
      score: 100,
      explanation:
        'Met 4 times in the last 56 days, where the agreement asks for a meeting every 2 weeks (4 meetings)',
    });
    expect(component(result, 'recency').explanation).toBe('Last met 3 days ago');
    expect(component(result, 'ratings').explanation).toBe(
      'Meetings rated 4.5 of 5 on average across the latest 2 ratings',
    );
    expect(component(result, 'goals').explanation).toBe(
      '1 goal is 50% done with 33% of the planned time gone: on track',
    );
    expect(component(result, 'pulse')).toMatchObject({
      score: null,
      weight: 0,
      explanation: 'No pulse survey answers yet',
    });
    expect(result.reasons[0]).toBe(`Healthy: ${result.score} of 100 (the program's threshold is 50)`);
  });

  test('a pair that stopped meeting is at risk, with the reasons that weigh most first', () => {
    const result = scoreHealth(
      input(90, { meetings: held(1, 15), goals: [{ status: 'not_started', progress: 0 }] }),
    );
    expect(result.atRisk).toBe(true);
    expect(result.score).toBeLessThan(50);
    expect(component(result, 'recency')).toMatchObject({
      score: 0,
      explanation: 'Last met 75 days ago, longer than the 14 days agreed between meetings',
    });
    expect(result.reasons[0]).toMatch(/^At risk: \d+ of 100, below the program's threshold of 50$/);
    expect(result.reasons).toContain('Last met 75 days ago, longer than the 14 days agreed between meetings');
    expect(result.meetingOverdue).toBe(true);
    expect(result.lastMetAt).toBe(at(15));
  });

  test('components with nothing to measure do not count, and the weights of the rest add up to one', () => {
    const result = scoreHealth(input(5));
    expect(component(result, 'cadence')).toMatchObject({ score: null, weight: 0 });
    expect(component(result, 'recency')).toMatchObject({ score: 100, weight: 1 });
    expect(result.score).toBe(100);
    expect(result.meetingOverdue).toBe(false);
  });

  test('without an agreed cadence the program cadence applies; a pulse signal counts when given', () => {
    const result = scoreHealth(
      input(40, { agreement: undefined, meetings: held(30), pulse: { responses: 3, meanScore: 20 } }),
    );
    expect(component(result, 'cadence').explanation).toBe(
      'Met 1 time in the last 30 days, where the program expects a monthly meeting (1 meeting)',
    );
    expect(component(result, 'pulse')).toMatchObject({
      score: 20,
      explanation: 'Pulse survey answers average 20 of 100 across 3 answers',
    });
    expect(component(result, 'pulse').weight).toBeGreaterThan(0);
  });

  test("a program's threshold and weights change the verdict", () => {
    const base = input(40, { meetings: held(10) });
    const lenient = scoreHealth({
      ...base,
      program: { ...base.program, health: { atRiskBelow: 10, overdueGraceDays: 7, weights: {} } },
    });
    const strict = scoreHealth({
      ...base,
      program: { ...base.program, health: { atRiskBelow: 95, overdueGraceDays: 60, weights: {} } },
    });
    expect(lenient.atRisk).toBe(false);
    expect(strict.atRisk).toBe(true);
    expect(strict.meetingOverdue).toBe(false);
    const recencyOnly = scoreHealth({
      ...base,
      program: { ...base.program, health: { atRiskBelow: 50, overdueGraceDays: 7, weights: { cadence: 0 } } },
    });
    expect(recencyOnly.score).toBe(component(recencyOnly, 'recency').score);
  });
});

describe('the basis an evaluation stores', () => {
  const day = fc.integer({ min: -30, max: 400 });
  const partition = fc.record({
    agreement: fc.option(
      fc.record(
        {
          cadence: fc.record({
            every: fc.integer({ min: 1, max: 6 }),
            unit: fc.constantFrom('days' as const, 'weeks' as const),
            durationMinutes: fc.constant(45),
          }),
          duration: fc.oneof(
            fc.record({ weeks: fc.integer({ min: 1, max: 52 }) }),
            fc.record({ endDate: fc.constantFrom('2027-03-31', '2027-12-31', '2026-12-01') }),
          ),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
    meetings: fc.array(
      fc.record({
        status: fc.constantFrom('scheduled' as const, 'held' as const, 'cancelled' as const),
        startsAt: day.map(at),
      }),
      { maxLength: 30 },
    ),
    goals: fc.array(
      fc.record({
        status: fc.constantFrom(
          'not_started' as const,
          'in_progress' as const,
          'achieved' as const,
          'abandoned' as const,
        ),
        progress: fc.integer({ min: 0, max: 100 }),
      }),
      { maxLength: 6 },
    ),
    // Few distinct days, so that ties at the tenth-latest rating occur.
    feedback: fc.array(
      fc.record({
        rating: fc.integer({ min: 1, max: 5 }),
        createdAt: fc.integer({ min: 0, max: 15 }).map(at),
      }),
      {
        maxLength: 25,
      },
    ),
  });

  test('scores exactly as the partition it was taken from, at any later time, through a stored copy', () => {
    fc.assert(
      fc.property(
        partition,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom<HealthInput['program']['meetingCadence']>('weekly', 'biweekly', 'monthly'),
        (inputs, evaluatedDay, later, meetingCadence) => {
          const program = { meetingCadence, endDate: '2027-07-02' };
          const full = (days: number) => ({ ...input(days, inputs), program });
          // What DynamoDB gives back: a JSON-shaped copy, parsed as stored evaluations are.
          const stored = healthBasis.parse(JSON.parse(JSON.stringify(healthBasisOf(full(evaluatedDay)))));
          const now = evaluatedDay + later;
          expect(scoreHealth({ ...full(now), ...healthBasisInput(stored) })).toEqual(scoreHealth(full(now)));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('holds only what scoring reads: held meetings, goal states and the ratings that count', () => {
    const basis = healthBasisOf({
      agreement: undefined,
      meetings: [...held(3), { status: 'cancelled', startsAt: at(5) }],
      goals: [{ status: 'in_progress', progress: 40 }],
      feedback: Array.from({ length: 12 }, (_, i) => ({ rating: 1 + (i % 5), createdAt: at(i) })),
    });
    expect(basis.held).toEqual([at(3)]);
    expect(basis.agreement).toBeUndefined();
    expect(basis.ratings.map((r) => r.createdAt)).toEqual(Array.from({ length: 10 }, (_, i) => at(11 - i)));
  });
});
