import type { QuestionKind, ScheduleKind, SurveyQuestion, SurveyResponse } from './survey.ts';

/** One question's answers under one schedule: how many answered it, how often each value was chosen. */
export interface QuestionCount {
  answered: number;
  /** By the value as text (`"4"`, `"Skills"`); free text is counted as answered, never kept. */
  values: Map<string, number>;
}

/**
 * A survey's responses counted: respondents per schedule, and per question and schedule what its
 * results are computed from. Every answer's transaction adds its difference to the stored tally,
 * so the results are read in a few items however many people answered.
 */
export interface SurveyTally {
  respondents: Map<ScheduleKind, number>;
  /** Question id → schedule → its counts. */
  questions: Map<string, Map<ScheduleKind, QuestionCount>>;
}

export const emptyTally = (): SurveyTally => ({ respondents: new Map(), questions: new Map() });

const added = (counts: Map<string, number>, key: string, by: number) =>
  counts.set(key, (counts.get(key) ?? 0) + by);

/** Adds (sign 1) or takes away (sign -1) one response, counting answers to the questions given. */
function count(
  tally: SurveyTally,
  kinds: ReadonlyMap<string, QuestionKind>,
  response: Pick<SurveyResponse, 'scheduleKind' | 'answers'>,
  sign: 1 | -1,
) {
  const schedule = response.scheduleKind;
  tally.respondents.set(schedule, (tally.respondents.get(schedule) ?? 0) + sign);
  for (const answer of response.answers) {
    const kind = kinds.get(answer.questionId);
    if (!kind) continue;
    const bySchedule = tally.questions.get(answer.questionId) ?? new Map<ScheduleKind, QuestionCount>();
    tally.questions.set(answer.questionId, bySchedule);
    const counts = bySchedule.get(schedule) ?? { answered: 0, values: new Map<string, number>() };
    bySchedule.set(schedule, counts);
    counts.answered += sign;
    if (kind === 'free_text') continue;
    for (const value of [answer.value].flat()) added(counts.values, String(value), sign);
  }
}

const kindsOf = (questions: readonly Pick<SurveyQuestion, 'id' | 'kind'>[]) =>
  new Map(questions.map((q) => [q.id, q.kind]));

/** The tally of a set of responses (what a survey without a stored tally reads every response for). */
export function tallyOf(
  questions: readonly Pick<SurveyQuestion, 'id' | 'kind'>[],
  responses: readonly Pick<SurveyResponse, 'scheduleKind' | 'answers'>[],
): SurveyTally {
  const tally = emptyTally();
  const kinds = kindsOf(questions);
  for (const response of responses) count(tally, kinds, response, 1);
  return tally;
}

/**
 * What a response changes in its survey's tally: the new answers counted, the previous ones (a
 * changed response) taken away. Only what changed is left in it, so an answer that changes one
 * question touches one question's counts.
 */
export function tallyChange(
  questions: readonly Pick<SurveyQuestion, 'id' | 'kind'>[],
  previous: Pick<SurveyResponse, 'scheduleKind' | 'answers'> | undefined,
  next: Pick<SurveyResponse, 'scheduleKind' | 'answers'>,
): SurveyTally {
  const change = emptyTally();
  const kinds = kindsOf(questions);
  count(change, kinds, next, 1);
  if (previous) count(change, kinds, previous, -1);
  for (const [schedule, n] of change.respondents) if (n === 0) change.respondents.delete(schedule);
  for (const [questionId, bySchedule] of change.questions) {
    for (const [schedule, counts] of bySchedule) {
      for (const [value, n] of counts.values) if (n === 0) counts.values.delete(value);
      if (counts.answered === 0 && counts.values.size === 0) bySchedule.delete(schedule);
    }
    if (bySchedule.size === 0) change.questions.delete(questionId);
  }
  return change;
}
