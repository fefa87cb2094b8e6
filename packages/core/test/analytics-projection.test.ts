import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  addContributions,
  analyticsReport,
  type Contributions,
  contributionDelta,
  contributions,
  dissolveReasons,
  factContributions,
  type GoalStatus,
  goalStatuses,
  legacyRecordIds,
  mergeObservation,
  normalizeContributions,
  type Observation,
  type OneShotFact,
  observeEnrollment,
  observeGoal,
  observeLegacy,
  observeParticipantPerson,
  observePerson,
  observeRelationship,
  observeSurveyResponse,
  organizationContributions,
  type ProgramSources,
  type ProjectionRecord,
  recomputeContributions,
  recordId,
  takeMatchSnapshot,
} from '../src/index.ts';

/*
 * A model of the source data and its event stream. Every operation changes the source and emits
 * one event; the reaction to an event reads the source as it is when the reaction runs (any time
 * from the event on), or, for one-shot facts, takes them from the event. Delivery shuffles events
 * and repeats some, as the stream does.
 */
const PROGRAM = 'prg_01jd5x3n7a8q9w0e1r2t3y4z5v';
const people = Array.from({ length: 6 }, (_, i) => `per_${i}`);
const SKILLS = ['Go', 'sql', 'Public speaking'];
/** The two members' skills when matched, or none: relationships from before snapshots. */
const matchedSkills = fc.option(
  fc.record({
    offeredA: fc.subarray(SKILLS),
    offeredB: fc.subarray(SKILLS),
    wantedA: fc.subarray(SKILLS),
    wantedB: fc.subarray(SKILLS),
    levelA: fc.integer({ min: 1, max: 5 }),
    levelB: fc.integer({ min: 1, max: 5 }),
  }),
  { nil: undefined },
);

const operation = fc.oneof(
  fc.record({ op: fc.constant('enroll' as const), person: fc.nat(5) }),
  fc.record({ op: fc.constant('withdraw' as const), pick: fc.nat() }),
  {
    arbitrary: fc.record({
      op: fc.constant('match' as const),
      a: fc.nat(5),
      b: fc.nat(5),
      pending: fc.boolean(),
      skills: matchedSkills,
    }),
    weight: 3,
  },
  fc.record({ op: fc.constant('activate' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('end' as const),
    pick: fc.nat(),
    reason: fc.option(fc.constantFrom(...dissolveReasons), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant('goal' as const),
    pick: fc.nat(),
    status: fc.constantFrom(...goalStatuses),
    progress: fc.nat(100),
  }),
  fc.record({
    op: fc.constant('updateGoal' as const),
    pick: fc.nat(),
    status: fc.constantFrom(...goalStatuses),
    progress: fc.nat(100),
  }),
  fc.record({
    op: fc.constant('meeting' as const),
    pick: fc.nat(),
    outcome: fc.constantFrom('held', 'cancelled', 'no_show'),
  }),
  fc.record({ op: fc.constant('rating' as const), pick: fc.nat(), rating: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    op: fc.constant('department' as const),
    person: fc.nat(5),
    department: fc.option(fc.constantFrom('Sales', 'Engineering'), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('leave' as const), person: fc.nat(5) }),
  {
    arbitrary: fc.record({
      op: fc.constant('answer' as const),
      person: fc.nat(2),
      kind: fc.constantFrom('pre_program', 'close_out', 'pulse'),
      confidence: fc.integer({ min: 1, max: 5 }),
      nps: fc.integer({ min: 0, max: 10 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('editAnswer' as const),
      pick: fc.nat(),
      confidence: fc.integer({ min: 1, max: 5 }),
      nps: fc.integer({ min: 0, max: 10 }),
    }),
    weight: 3,
  },
);
const NPS_QUESTIONS = new Set(['recommend']);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

type Source = {
  enrollments: ProgramSources['enrollments'];
  relationships: ProgramSources['relationships'];
  goals: {
    programId: string;
    goal: { id: string; relationshipId: string; status: GoalStatus; progress: number; version: number };
  }[];
  meetings: ProgramSources['meetings'];
  ratings: ProgramSources['ratings'];
  people: { id: string; version: number; department?: string; status: 'active' | 'left' }[];
  responses: NonNullable<ProgramSources['responses']>;
};

/** What a reaction needs from an event: which entity to re-read, or the one-shot fact it carries. */
type EventRef = { id: string; entity?: string; fact?: OneShotFact };

const clone = (s: Source): Source => structuredClone(s);

function simulate(ops: Operation[]) {
  const snapshots: Source[] = [];
  const events: EventRef[] = [];
  let s: Source = {
    enrollments: [],
    relationships: [],
    goals: [],
    meetings: [],
    ratings: [],
    responses: [],
    people: people.map((id, i) => ({
      id,
      version: 1,
      status: 'active',
      ...(i % 3 ? { department: `D${i % 3}` } : {}),
    })),
  };
  // Each person's creation is an event too.
  for (const id of people) {
    snapshots.push(s);
    events.push({ id: `evt_${id}`, entity: `person:${id}` });
  }
  let t = Date.parse('2027-01-01T00:00:00Z');
  ops.forEach((o, i) => {
    t += 3_600_000 * 24 * 3 + i * 1_001;
    const at = new Date(t).toISOString();
    s = clone(s);
    let event: EventRef | undefined;
    const ongoing = s.relationships.filter((r) => r.status === 'active' || r.status === 'pending_agreement');
    switch (o.op) {
      case 'enroll': {
        const personId = people[o.person]!;
        if (s.enrollments.some((e) => e.personId === personId && e.status === 'active')) break;
        const id = `enr_${i}`;
        s.enrollments.push({ id, programId: PROGRAM, personId, status: 'active', createdAt: at });
        event = { id: `evt_${i}`, entity: `enrollment:${id}` };
        break;
      }
      case 'withdraw': {
        const active = s.enrollments.filter((e) => e.status === 'active');
        const e = active[o.pick % Math.max(active.length, 1)];
        if (!e) break;
        e.status = 'withdrawn';
        event = { id: `evt_${i}`, entity: `enrollment:${e.id}` };
        break;
      }
      case 'match': {
        const [a, b] = [people[o.a]!, people[o.b]!];
        const enrolled = (p: string) => s.enrollments.some((e) => e.personId === p && e.status === 'active');
        if (a === b || !enrolled(a) || !enrolled(b)) break;
        const id = `rel_${i}`;
        const profile = (personId: string, offered: string[], wanted: string[], level: number) => ({
          id: personId,
          role: 'peer' as const,
          department: personIn(s, personId).department,
          skillsOffered: offered.map((name) => ({ name, level })),
          skillsWanted: wanted.map((name) => ({ name })),
        });
        const k = o.skills;
        s.relationships.push({
          ...(k
            ? {
                matchSnapshot: takeMatchSnapshot([
                  profile(a, k.offeredA, k.wantedA, k.levelA),
                  profile(b, k.offeredB, k.wantedB, k.levelB),
                ]),
              }
            : {}),
          id,
          programId: PROGRAM,
          members: [
            { personId: a, role: 'peer' },
            { personId: b, role: 'peer' },
          ],
          status: o.pending ? 'pending_agreement' : 'active',
          version: 1,
          startedAt: at,
          createdAt: at,
        });
        event = { id: `evt_${i}`, entity: `relationship:${id}` };
        break;
      }
      case 'activate': {
        const pending = s.relationships.filter((r) => r.status === 'pending_agreement');
        const r = pending[o.pick % Math.max(pending.length, 1)];
        if (!r) break;
        r.status = 'active';
        r.version += 1;
        event = { id: `evt_${i}`, entity: `relationship:${r.id}` };
        break;
      }
      case 'end': {
        const r = ongoing[o.pick % Math.max(ongoing.length, 1)];
        if (!r) break;
        r.status = o.reason ? 'dissolved' : 'completed';
        r.endedAt = at;
        if (o.reason) r.endReason = o.reason;
        r.version += 1;
        event = { id: `evt_${i}`, entity: `relationship:${r.id}` };
        break;
      }
      case 'goal': {
        const r = s.relationships[o.pick % Math.max(s.relationships.length, 1)];
        if (!r) break;
        const id = `goal_${i}`;
        s.goals.push({
          programId: PROGRAM,
          goal: { id, relationshipId: r.id, status: o.status, progress: o.progress, version: 1 },
        });
        event = { id: `evt_${i}`, entity: `goal:${id}` };
        break;
      }
      case 'updateGoal': {
        const g = s.goals[o.pick % Math.max(s.goals.length, 1)];
        if (!g) break;
        g.goal = { ...g.goal, status: o.status, progress: o.progress, version: g.goal.version + 1 };
        event = { id: `evt_${i}`, entity: `goal:${g.goal.id}` };
        break;
      }
      case 'meeting': {
        if (!s.relationships.length) break;
        s.meetings.push({ programId: PROGRAM, status: o.outcome });
        event = { id: `evt_${i}`, fact: { kind: 'meeting_logged', programId: PROGRAM, outcome: o.outcome } };
        break;
      }
      case 'rating': {
        if (!s.relationships.length) break;
        s.ratings.push({ programId: PROGRAM, rating: o.rating });
        event = { id: `evt_${i}`, fact: { kind: 'rating', programId: PROGRAM, rating: o.rating } };
        break;
      }
    }
    if (o.op === 'answer') {
      const id = `srr_${i}`;
      s.responses.push({
        npsQuestions: NPS_QUESTIONS,
        response: {
          id,
          programId: PROGRAM,
          surveyId: 'srv_1',
          personId: people[o.person]!,
          scheduleKind: o.kind,
          version: 1,
          createdAt: at,
          answers: [
            { questionId: 'confidence', value: o.confidence },
            { questionId: 'recommend', value: o.nps },
            { questionId: 'why', value: 'free text is not counted' },
          ],
        },
      });
      event = { id: `evt_${i}`, entity: `response:${id}` };
    }
    if (o.op === 'editAnswer' && s.responses.length) {
      const r = s.responses[o.pick % s.responses.length]!.response;
      r.version += 1;
      r.answers = [
        { questionId: 'confidence', value: o.confidence },
        { questionId: 'recommend', value: o.nps },
      ];
      event = { id: `evt_${i}`, entity: `response:${r.id}` };
    }
    if (o.op === 'department' || o.op === 'leave') {
      const p = s.people[o.person]!;
      if (o.op === 'leave') p.status = 'left';
      else if (o.department) p.department = o.department;
      else delete p.department;
      p.version += 1;
      event = { id: `evt_${i}`, entity: `person:${p.id}` };
    }
    if (event) {
      snapshots.push(s);
      events.push(event);
    }
  });
  return { snapshots, events, final: s };
}

const personIn = (s: Source, id: string) => s.people.find((p) => p.id === id)!;

/**
 * What the reaction observes when it re-reads the event's entity in a snapshot. People are read
 * in `personSnapshot`, which never goes back in time: the guard on the organization's person
 * record makes a participant merged from a person older than one already projected retry.
 */
function observe(entity: string, s: Source, personSnapshot: Source): Observation[] {
  const [kind, id] = entity.split(':');
  if (kind === 'enrollment') {
    const e = s.enrollments.find((x) => x.id === id)!;
    return [observeEnrollment(e), observeParticipantPerson(PROGRAM, personIn(personSnapshot, e.personId))];
  }
  if (kind === 'relationship') return observeRelationship(s.relationships.find((r) => r.id === id)!);
  if (kind === 'response') {
    const r = s.responses.find((x) => x.response.id === id)!;
    return observeSurveyResponse(r.response, r.npsQuestions);
  }
  const g = s.goals.find((x) => x.goal.id === id)!;
  return [observeGoal(g.programId, g.goal)];
}

/**
 * The reaction's fold: per record, merge and ADD the difference; one-shot facts once per event id.
 * A person's change goes to the organization's records and to every participant record of theirs.
 */
function incremental(deliveries: { event: EventRef; snapshot: Source; personSnapshot: Source }[]) {
  const records = new Map<string, ProjectionRecord>();
  const organization = new Map<string, ProjectionRecord>();
  const applied = new Set<string>();
  // The index of participants' programs: written with the enrollment's merge.
  const indexed = new Set<string>();
  const sums: Contributions = new Map();
  const orgSums: Contributions = new Map();
  const fold = (into: Map<string, ProjectionRecord>, totals: Contributions, o: Observation) => {
    const key = recordId(o);
    const before = into.get(key);
    const after = mergeObservation(before, o);
    into.set(key, after);
    addContributions(totals, contributionDelta(contributions(before), contributions(after)));
  };
  for (const { event, snapshot, personSnapshot } of deliveries) {
    if (event.fact) {
      if (applied.has(event.id)) continue;
      applied.add(event.id);
      addContributions(sums, factContributions(event.fact));
    } else if (event.entity!.startsWith('person:')) {
      const person = personIn(personSnapshot, event.entity!.slice('person:'.length));
      fold(organization, orgSums, observePerson(person));
      if (indexed.has(person.id)) fold(records, sums, observeParticipantPerson(PROGRAM, person));
    } else
      for (const o of observe(event.entity!, snapshot, personSnapshot)) {
        if (o.kind === 'enrollment') indexed.add(o.personId);
        fold(records, sums, o);
      }
  }
  return { sums, orgSums };
}

describe('the analytics projection', () => {
  test('incremental over shuffled, repeated, late-read events equals the recompute from the final source', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 10, maxLength: 80 }),
        fc.infiniteStream(fc.tuple(fc.nat(), fc.nat(), fc.boolean())),
        (ops, choices) => {
          // Most people enrol first, so that the random operations find someone to act on.
          const { snapshots, events, final } = simulate([
            ...people.slice(0, 5).map((_, person) => ({ op: 'enroll' as const, person })),
            ...ops,
          ]);
          const it = choices[Symbol.iterator]();
          const planned: { event: EventRef; index: number; seen: number; order: number }[] = [];
          events.forEach((event, i) => {
            const copies = it.next().value![2] ? 2 : 1;
            for (let c = 0; c < copies; c++) {
              const [readAt, order] = it.next().value!;
              // The reaction runs after the event committed: it sees this or any later state.
              planned.push({ event, index: i, seen: i + (readAt % (snapshots.length - i)), order });
            }
          });
          planned.sort((a, b) => a.order - b.order);
          let personSeen = 0;
          const deliveries = planned.map(({ event, index, seen }) => {
            personSeen = Math.max(personSeen, index, seen);
            return { event, snapshot: snapshots[seen]!, personSnapshot: snapshots[personSeen]! };
          });
          const { sums, orgSums } = incremental(deliveries);
          expect(normalizeContributions(sums)).toEqual(normalizeContributions(recomputeContributions(final)));
          expect(normalizeContributions(orgSums)).toEqual(
            normalizeContributions(organizationContributions(final.people)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a record kept the old way (a goal's, a response's own) folds into its grouped record with the same counters", () => {
    const goal: Observation = {
      kind: 'goal_state',
      programId: PROGRAM,
      relationshipId: 'rel_1',
      goalId: 'goal_2',
      version: 3,
      status: 'achieved',
      progress: 100,
    };
    const response: Observation = {
      kind: 'survey_response_state',
      programId: PROGRAM,
      surveyId: 'srv_1',
      personId: 'per_a',
      responseId: 'srr_2',
      version: 2,
      nps: { promoters: 1, passives: 0, detractors: 0 },
    };
    const legacy: Record<string, ProjectionRecord> = {
      'goal#goal_2': {
        kind: 'goal',
        programId: PROGRAM,
        goalId: 'goal_2',
        version: 2,
        status: 'in_progress',
        progress: 50,
      },
      'response#srr_2': {
        kind: 'survey_response',
        responseId: 'srr_2',
        version: 1,
        nps: { promoters: 0, passives: 0, detractors: 1 },
      },
    };
    for (const observation of [goal, response]) {
      const old = legacy[legacyRecordIds(observation).find((id) => id in legacy)!]!;
      // The grouped record already holds another goal or response, counted beside the old record.
      const sibling: Observation =
        observation === goal
          ? { ...goal, goalId: 'goal_1', version: 1, status: 'in_progress', progress: 20 }
          : { ...response, responseId: 'srr_1', nps: { promoters: 0, passives: 1, detractors: 0 } };
      const grouped = mergeObservation(undefined, sibling);
      const before = addContributions(contributions(grouped), contributions(old));
      const folded = observeLegacy(old, observation).reduce(mergeObservation, grouped);
      expect(normalizeContributions(contributions(folded))).toEqual(normalizeContributions(before));
      // The entity's event then merges into the grouped record only: newest version wins.
      const after = mergeObservation(folded, observation);
      const expected = addContributions(
        contributions(grouped),
        contributions(mergeObservation(undefined, observation)),
      );
      expect(normalizeContributions(contributions(after))).toEqual(normalizeContributions(expected));
    }
  });

  test("a person's record of a survey, as session 20 kept it, folds into their participant record with the same counters", () => {
    const old: ProjectionRecord = {
      kind: 'survey_pair',
      surveyId: 'srv_1',
      personId: 'per_a',
      responses: { srr_3: { version: 1, nps: { promoters: 0, passives: 0, detractors: 1 } } },
      pre: {
        responseId: 'srr_3',
        version: 1,
        createdAt: Date.parse('2027-01-04T00:00:00Z'),
        values: { confidence: 2 },
      },
    };
    const enrolled = mergeObservation(undefined, {
      kind: 'enrollment',
      programId: PROGRAM,
      personId: 'per_a',
      enrollmentId: 'enr_1',
      createdAt: Date.parse('2027-01-01T00:00:00Z'),
      status: 'active',
    });
    // The close-out's observations, as its survey.answered event brings them.
    const closeOut = observeSurveyResponse(
      {
        id: 'srr_4',
        programId: PROGRAM,
        surveyId: 'srv_1',
        personId: 'per_a',
        scheduleKind: 'close_out',
        version: 1,
        createdAt: '2027-03-01T00:00:00.000Z',
        answers: [
          { questionId: 'confidence', value: 4 },
          { questionId: 'recommend', value: 10 },
        ],
      },
      NPS_QUESTIONS,
    );
    for (const o of closeOut) expect(legacyRecordIds(o)).toContain(recordId(old));
    const folded = observeLegacy(old, closeOut[0]!).reduce(mergeObservation, enrolled);
    expect(recordId(folded)).toBe('participant#per_a');
    expect(normalizeContributions(contributions(folded))).toEqual(
      normalizeContributions(addContributions(contributions(enrolled), contributions(old))),
    );
    const after = closeOut.reduce(mergeObservation, folded);
    const expected = addContributions(
      contributions(enrolled),
      new Map([
        [
          'all',
          {
            'nps.detractors': 1,
            'nps.promoters': 1,
            'prepost.srv_1.confidence.n': 1,
            'prepost.srv_1.confidence.sum': 2,
            'prepost.srv_1.confidence.sumSquares': 4,
          },
        ],
      ]),
    );
    expect(normalizeContributions(contributions(after))).toEqual(normalizeContributions(expected));
  });

  test('a known history gives the expected report', () => {
    const t0 = '2027-01-04T00:00:00.000Z';
    const sources: ProgramSources = {
      enrollments: [
        { id: 'enr_1', programId: PROGRAM, personId: 'per_a', status: 'active', createdAt: t0 },
        {
          id: 'enr_2',
          programId: PROGRAM,
          personId: 'per_b',
          status: 'active',
          createdAt: '2027-01-06T00:00:00.000Z',
        },
        { id: 'enr_3', programId: PROGRAM, personId: 'per_c', status: 'withdrawn', createdAt: t0 },
        { id: 'enr_4', programId: PROGRAM, personId: 'per_d', status: 'active', createdAt: t0 },
      ],
      relationships: [
        {
          id: 'rel_1',
          programId: PROGRAM,
          members: [
            { personId: 'per_a', role: 'peer' },
            { personId: 'per_b', role: 'peer' },
          ],
          status: 'active',
          version: 3,
          startedAt: '2027-01-11T00:00:00.000Z',
          createdAt: '2027-01-11T00:00:00.000Z',
        },
      ],
      goals: [
        {
          programId: PROGRAM,
          goal: { id: 'goal_1', relationshipId: 'rel_1', status: 'achieved', progress: 100, version: 4 },
        },
        {
          programId: PROGRAM,
          goal: { id: 'goal_2', relationshipId: 'rel_1', status: 'in_progress', progress: 40, version: 2 },
        },
      ],
      meetings: [
        { programId: PROGRAM, status: 'held' },
        { programId: PROGRAM, status: 'held' },
        { programId: PROGRAM, status: 'cancelled' },
        { programId: PROGRAM, status: 'scheduled' },
      ],
      ratings: [
        { programId: PROGRAM, rating: 4 },
        { programId: PROGRAM, rating: 5 },
      ],
      people: [
        { id: 'per_a', version: 2, department: 'Sales', status: 'active' },
        { id: 'per_b', version: 1, department: 'Sales', status: 'left' },
        { id: 'per_c', version: 1, status: 'active' },
        { id: 'per_d', version: 1, department: 'Sales', status: 'active' },
      ],
    };
    const report = analyticsReport(
      {
        id: PROGRAM,
        meetingCadence: 'weekly',
        analytics: {
          minimumSliceSize: 5,
          objectives: {
            goals: { metric: 'goal_completion_percent', target: 80, direction: 'at_least' },
            rating: { metric: 'mean_meeting_rating', target: 4, direction: 'at_least' },
          },
        },
      },
      normalizeContributions(recomputeContributions(sources)),
      // Ten people in the organization, two of them left: one participant, one other.
      { people: 10, 'people.left': 2 },
      new Date('2027-02-08T09:00:00.000Z'),
      'department',
    );
    expect(report.enrollment).toEqual({
      enrolled: 4,
      active: 3,
      withdrawn: 1,
      matched: 2,
      matchRatePercent: 50,
      // a waited 7 days, b 5 days.
      meanDaysToMatch: 6,
      left: 1,
      retainedPercent: 75,
    });
    expect(report.retention).toEqual({
      participantsRetainedPercent: 75,
      nonParticipants: 6,
      nonParticipantsRetainedPercent: 83.3,
      gainPoints: -8.3,
    });
    expect(report.relationships.byStatus).toEqual({
      pending_agreement: 0,
      active: 1,
      completed: 0,
      dissolved: 0,
    });
    // Four weeks since the start at a weekly cadence: four meetings expected, two held.
    expect(report.meetings).toEqual({
      held: 2,
      cancelled: 1,
      noShow: 0,
      perRelationship: 2,
      expectedPerRelationship: 4,
      cadencePercent: 50,
    });
    expect(report.goals.completionPercent).toBe(50);
    expect(report.meetingRating).toEqual({ n: 2, mean: 4.5, sd: 0.71 });
    expect(report.objectives).toEqual([
      {
        key: 'goals',
        metric: 'goal_completion_percent',
        target: 80,
        direction: 'at_least',
        actual: 50,
        met: false,
        progressPercent: 62.5,
      },
      {
        key: 'rating',
        metric: 'mean_meeting_rating',
        target: 4,
        direction: 'at_least',
        actual: 4.5,
        met: true,
        progressPercent: 100,
      },
    ]);
    // Three in Sales and one without a department, both below k = 5: suppressed.
    expect(report.slices).toEqual([
      { by: 'department', value: '(none)', suppressed: true },
      { by: 'department', value: 'Sales', suppressed: true },
    ]);
    const k2 = analyticsReport(
      { id: PROGRAM, meetingCadence: 'weekly', analytics: { minimumSliceSize: 2, objectives: {} } },
      normalizeContributions(recomputeContributions(sources)),
      {},
      new Date('2027-02-08T09:00:00.000Z'),
      'department',
    );
    // With k = 2 only the department of one is below; the next smallest is hidden with it, or
    // the program total minus Sales would give it away.
    expect(k2.slices!.map((x) => [x.value, x.suppressed])).toEqual([
      ['(none)', true],
      ['Sales', true],
    ]);
  });

  test('match quality counts relationships with a snapshot, and those before snapshots as unknown', () => {
    const at = '2027-01-11T00:00:00.000Z';
    const pair = (id: string, a: string, b: string) => ({
      id,
      programId: PROGRAM,
      members: [
        { personId: a, role: 'peer' as const },
        { personId: b, role: 'peer' as const },
      ],
      status: 'active' as const,
      version: 1,
      startedAt: at,
      createdAt: at,
    });
    const sources: ProgramSources = {
      enrollments: ['per_a', 'per_b', 'per_d'].map((personId, i) => ({
        id: `enr_${i}`,
        programId: PROGRAM,
        personId,
        status: 'active' as const,
        createdAt: '2027-01-04T00:00:00.000Z',
      })),
      relationships: [
        {
          ...pair('rel_1', 'per_a', 'per_b'),
          matchSnapshot: {
            members: [
              { personId: 'per_a', crossDepartment: true, wantedSkills: 2, wantedSkillsCovered: 1 },
              { personId: 'per_b', crossDepartment: true, wantedSkills: 1, wantedSkillsCovered: 1 },
            ],
          },
        },
        // Made before snapshots were taken.
        pair('rel_2', 'per_a', 'per_d'),
      ],
      goals: [],
      meetings: [],
      ratings: [],
      people: [
        { id: 'per_a', version: 1, department: 'Sales', status: 'active' },
        { id: 'per_b', version: 1, department: 'Legal', status: 'active' },
        { id: 'per_d', version: 1, department: 'Sales', status: 'active' },
      ],
    };
    const report = analyticsReport(
      {
        id: PROGRAM,
        meetingCadence: 'weekly',
        analytics: {
          minimumSliceSize: 1,
          objectives: { cross: { metric: 'cross_department_percent', target: 50, direction: 'at_least' } },
        },
      },
      normalizeContributions(recomputeContributions(sources)),
      {},
      new Date('2027-02-08T09:00:00.000Z'),
      'department',
    );
    expect(report.matchQuality).toEqual({
      known: 1,
      unknown: 1,
      crossDepartment: 1,
      crossDepartmentPercent: 100,
      wantedSkills: 3,
      wantedSkillsCovered: 2,
      wantedSkillsCoveredPercent: 66.7,
    });
    expect(report.objectives[0]).toMatchObject({ key: 'cross', actual: 100, met: true });
    // Sales holds a (one known match, one unknown) and d (one unknown); Legal holds b.
    expect(report.slices!.map((x) => [x.value, x.matchQuality])).toEqual([
      [
        'Legal',
        {
          known: 1,
          unknown: 0,
          crossDepartment: 1,
          crossDepartmentPercent: 100,
          wantedSkills: 1,
          wantedSkillsCovered: 1,
          wantedSkillsCoveredPercent: 100,
        },
      ],
      [
        'Sales',
        {
          known: 1,
          unknown: 2,
          crossDepartment: 1,
          crossDepartmentPercent: 100,
          wantedSkills: 2,
          wantedSkillsCovered: 1,
          wantedSkillsCoveredPercent: 50,
        },
      ],
    ]);
  });
});

describe('survey figures', () => {
  const response = (id: string, personId: string, kind: string, confidence: number, recommend: number) => ({
    response: {
      id,
      programId: PROGRAM,
      surveyId: 'srv_1',
      personId,
      scheduleKind: kind,
      version: 1,
      createdAt: '2027-01-04T00:00:00.000Z',
      answers: [
        { questionId: 'confidence', value: confidence },
        { questionId: 'recommend', value: recommend },
      ],
    },
    npsQuestions: new Set(['recommend']),
  });

  test('pre/post change per item with its interval and d_z; NPS; suppressed below k', () => {
    // Differences 1, 2, 0, 3, 1 (mean 1.4, sd √1.3); NPS answers 10, 9, 9, 7, 3 at close-out plus
    // five pre-program answers of 5.
    const pre = [2, 1, 3, 1, 2];
    const post = [3, 3, 3, 4, 3];
    const recommend = [10, 9, 9, 7, 3];
    const responses = pre.flatMap((value, i) => [
      response(`srr_pre${i}`, `per_${i}`, 'pre_program', value, 5),
      response(`srr_post${i}`, `per_${i}`, 'close_out', post[i]!, recommend[i]!),
    ]);
    const sums = normalizeContributions(
      recomputeContributions({
        enrollments: [],
        relationships: [],
        goals: [],
        meetings: [],
        ratings: [],
        people: [],
        responses,
      }),
    );
    const report = (k: number) =>
      analyticsReport(
        {
          id: PROGRAM,
          meetingCadence: 'weekly',
          analytics: {
            minimumSliceSize: k,
            objectives: {
              confidence: {
                metric: 'survey_item_gain',
                target: 1,
                direction: 'at_least',
                surveyId: 'srv_1',
                questionId: 'confidence',
              },
            },
          },
        },
        sums,
        {},
        new Date('2027-02-08T00:00:00.000Z'),
      );
    const shown = report(5);
    // Ten answers: 3 promoters, 1 passive, 6 detractors (the five pre-program 5s and the 3).
    expect(shown.surveys.nps).toEqual({ n: 10, suppressed: false, score: -30 });
    const half = 2.7764451 * Math.sqrt(1.3 / 5);
    const confidence = shown.surveys.items.find((i) => i.questionId === 'confidence')!;
    expect(confidence).toMatchObject({ surveyId: 'srv_1', n: 5, suppressed: false, meanDifference: 1.4 });
    expect(confidence.ci95![0]).toBeCloseTo(1.4 - half, 3);
    expect(confidence.ci95![1]).toBeCloseTo(1.4 + half, 3);
    expect(confidence.cohensDz).toBeCloseTo(1.4 / Math.sqrt(1.3), 3);
    expect(shown.objectives[0]).toMatchObject({ key: 'confidence', actual: 1.4, met: true });
    const hidden = report(11);
    expect(hidden.surveys.nps).toEqual({ n: 10, suppressed: true, score: null });
    expect(hidden.surveys.items.every((i) => i.suppressed && i.meanDifference === null)).toBe(true);
    expect(hidden.objectives[0]).toMatchObject({ actual: null, met: false });
  });
});
