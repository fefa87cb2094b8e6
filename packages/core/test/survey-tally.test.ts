import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { AnonymitySettings } from '../src/anonymity.ts';
import type { ScheduleKind, SurveyAnswer, SurveyQuestion } from '../src/survey.ts';
import { summarizeSurvey, summarizeTally } from '../src/survey-results.ts';
import { emptyTally, type SurveyTally, tallyChange, tallyOf } from '../src/survey-tally.ts';

const question = (id: string, kind: SurveyQuestion['kind'], options?: string[]): SurveyQuestion => ({
  id,
  kind,
  prompt: id,
  required: false,
  ...(options ? { options } : {}),
});

const questions: SurveyQuestion[] = [
  question('confidence', 'likert'),
  question('recommend', 'nps'),
  question('focus', 'single_choice', ['Career', 'Skills', 'Network']),
  question('topics', 'multiple_choice', ['a', 'b', 'c', 'd']),
  question('comment', 'free_text'),
];
const definition = { id: 'srv_1', questions };
const identified: AnonymitySettings = { mode: 'identified', k: 5 };

/** Adds a change to a tally, as the stored counters' ADDs do. */
function apply(tally: SurveyTally, change: SurveyTally) {
  for (const [schedule, by] of change.respondents)
    tally.respondents.set(schedule, (tally.respondents.get(schedule) ?? 0) + by);
  for (const [questionId, bySchedule] of change.questions) {
    const kept = tally.questions.get(questionId) ?? new Map();
    tally.questions.set(questionId, kept);
    for (const [schedule, counts] of bySchedule) {
      const into = kept.get(schedule) ?? { answered: 0, values: new Map() };
      kept.set(schedule, into);
      into.answered += counts.answered;
      for (const [value, n] of counts.values) into.values.set(value, (into.values.get(value) ?? 0) + n);
    }
  }
}

/** Counters that are zero say nothing: a stored tally keeps them, a fresh one never has them. */
function nonZero(tally: SurveyTally) {
  return {
    respondents: [...tally.respondents].filter(([, n]) => n !== 0).sort(),
    questions: [...tally.questions]
      .flatMap(([questionId, bySchedule]) =>
        [...bySchedule].map(([schedule, counts]) => ({
          at: `${questionId}|${schedule}`,
          answered: counts.answered,
          values: [...counts.values].filter(([, n]) => n !== 0).sort(),
        })),
      )
      .filter((q) => q.answered !== 0 || q.values.length > 0)
      .sort((a, b) => a.at.localeCompare(b.at)),
  };
}

const answers: fc.Arbitrary<SurveyAnswer[]> = fc
  .record(
    {
      confidence: fc.integer({ min: 1, max: 5 }),
      recommend: fc.integer({ min: 0, max: 10 }),
      focus: fc.constantFrom('Career', 'Skills', 'Network'),
      topics: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1 }),
      comment: fc.string({ minLength: 1, maxLength: 8 }),
    },
    { requiredKeys: [] },
  )
  .map((record) =>
    Object.entries(record).map(([questionId, value]) => ({ questionId, value }) as SurveyAnswer),
  );

/** Instances, each answered once and then changed any number of times. */
const histories = fc.array(
  fc.record({
    scheduleKind: fc.constantFrom<ScheduleKind>('pre_program', 'pulse', 'close_out'),
    versions: fc.array(answers, { minLength: 1, maxLength: 4 }),
  }),
  { maxLength: 12 },
);

describe('survey tallies', () => {
  test('the changes of every answer and every change add up to the tally of the final responses', () => {
    fc.assert(
      fc.property(histories, fc.integer({ min: 1, max: 4 }), (instances, k) => {
        const kept = emptyTally();
        for (const { scheduleKind, versions } of instances)
          versions.forEach((version, i) => {
            const previous = i === 0 ? undefined : { scheduleKind, answers: versions[i - 1]! };
            apply(kept, tallyChange(questions, previous, { scheduleKind, answers: version }));
          });
        const final = instances.map(({ scheduleKind, versions }) => ({
          scheduleKind,
          answers: versions.at(-1)!,
        }));
        expect(nonZero(kept)).toEqual(nonZero(tallyOf(questions, final)));
        for (const anonymity of [identified, { mode: 'anonymous', k } as const])
          expect(summarizeTally(definition, kept, anonymity)).toEqual(
            summarizeSurvey(definition, final as never, anonymity),
          );
      }),
    );
  });

  test('a change that keeps an answer touches nothing of it, and free text is never kept', () => {
    const first = {
      scheduleKind: 'pulse' as const,
      answers: [
        { questionId: 'focus', value: 'Skills' },
        { questionId: 'comment', value: 'private words' },
      ],
    };
    const second = {
      ...first,
      answers: [
        { questionId: 'focus', value: 'Skills' },
        { questionId: 'comment', value: 'other words' },
      ],
    };
    const change = tallyChange(questions, first, second);
    expect(change.respondents.size).toBe(0);
    expect(change.questions.size).toBe(0);
    const text = tallyChange(questions, undefined, first).questions.get('comment')!.get('pulse')!;
    expect(text).toEqual({ answered: 1, values: new Map() });
  });

  test('results: means, NPS and distributions in reading order', () => {
    const responses = [
      [10, 'Network', ['d', 'a']],
      [9, 'Career', ['a']],
      [7, 'Network', ['b']],
      [3, 'Skills', ['d']],
    ].map(([recommend, focus, topics]) => ({
      scheduleKind: 'close_out' as const,
      answers: [
        { questionId: 'recommend', value: recommend },
        { questionId: 'focus', value: focus },
        { questionId: 'topics', value: topics },
      ] as SurveyAnswer[],
    }));
    const [slice] = summarizeTally(definition, tallyOf(questions, responses), identified).slices;
    const byId = Object.fromEntries(slice!.questions!.map((q) => [q.questionId, q]));
    // Promoters 2 (10, 9), detractors 1 (3), of 4: 25; mean 29 / 4.
    expect(byId.recommend).toMatchObject({ answered: 4, mean: 7.25, npsScore: 25 });
    expect(Object.entries(byId.recommend!.distribution!)).toEqual([
      ['3', 1],
      ['7', 1],
      ['9', 1],
      ['10', 1],
    ]);
    expect(Object.entries(byId.focus!.distribution!)).toEqual([
      ['Career', 1],
      ['Skills', 1],
      ['Network', 2],
    ]);
    expect(Object.entries(byId.topics!.distribution!)).toEqual([
      ['a', 2],
      ['b', 1],
      ['d', 2],
    ]);
    expect(byId.confidence).toEqual({
      questionId: 'confidence',
      kind: 'likert',
      answered: 0,
      distribution: {},
      suppressed: false,
    });
    expect(byId.comment).toEqual({
      questionId: 'comment',
      kind: 'free_text',
      answered: 0,
      suppressed: false,
    });
  });
});
