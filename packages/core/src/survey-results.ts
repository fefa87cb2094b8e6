import * as z from 'zod';
import { type AnonymitySettings, anonymityModes, suppressSmallSlices } from './anonymity.ts';
import {
  questionKinds,
  type Survey,
  type SurveyQuestion,
  type SurveyResponse,
  scheduleKinds,
} from './survey.ts';
import { type QuestionCount, type SurveyTally, tallyOf } from './survey-tally.ts';

const questionResult = z
  .strictObject({
    questionId: z.string(),
    kind: z.enum(questionKinds),
    measures: z.string().optional(),
    suppressed: z
      .boolean()
      .meta({ description: 'Fewer than k respondents answered it (anonymous programs)' }),
    answered: z.int().optional(),
    mean: z.number().optional().meta({ description: 'likert and nps' }),
    npsScore: z.int().optional().meta({ description: 'nps: % promoters (9–10) minus % detractors (0–6)' }),
    distribution: z
      .record(z.string(), z.int())
      .optional()
      .meta({ description: 'How many chose each value or option (not for free_text)' }),
  })
  .meta({ id: 'SurveyQuestionResult' });
type QuestionResult = z.infer<typeof questionResult>;

const sliceResult = z
  .strictObject({
    scheduleKind: z.enum(scheduleKinds),
    suppressed: z.boolean().meta({
      description:
        'Fewer than k respondents (anonymous programs), or hidden so a small slice cannot be inferred',
    }),
    respondents: z.int().optional(),
    questions: z.array(questionResult).optional(),
  })
  .meta({ id: 'SurveyResultSlice' });
type SliceResult = z.infer<typeof sliceResult>;

export const surveyResults = z
  .strictObject({
    surveyId: z.string(),
    anonymity: z.enum(anonymityModes),
    k: z.int().optional().meta({ description: 'The suppression threshold (anonymous programs)' }),
    slices: z
      .array(sliceResult)
      .meta({ description: 'One slice per schedule the survey was answered under' }),
  })
  .meta({ id: 'SurveyResults' });
export type SurveyResults = z.infer<typeof surveyResults>;

const round = (value: number) => Math.round(value * 100) / 100;

/** A question's values in reading order: choices as the question lists them, scores ascending. */
function inOrder(question: Pick<SurveyQuestion, 'options'>, values: Map<string, number>) {
  const chosen = [...values].filter(([, n]) => n > 0);
  if (!question.options) return chosen.sort(([a], [b]) => Number(a) - Number(b));
  const position = (value: string) => {
    const at = question.options!.indexOf(value);
    return at === -1 ? question.options!.length : at;
  };
  return chosen.sort(([a], [b]) => position(a) - position(b));
}

function aggregate(
  question: Pick<SurveyQuestion, 'id' | 'kind' | 'options'>,
  counts: QuestionCount,
): Omit<QuestionResult, 'suppressed' | 'measures'> {
  const { id: questionId, kind } = question;
  const { answered } = counts;
  if (kind === 'free_text') return { questionId, kind, answered };
  const chosen = inOrder(question, counts.values);
  const distribution = Object.fromEntries(chosen);
  if (kind !== 'likert' && kind !== 'nps') return { questionId, kind, answered, distribution };
  const scores = (test: (score: number) => boolean) =>
    chosen.reduce((sum, [value, n]) => (test(Number(value)) ? sum + n : sum), 0);
  const total = chosen.reduce((sum, [value, n]) => sum + Number(value) * n, 0);
  const mean = answered ? round(total / answered) : undefined;
  const npsScore =
    kind === 'nps' && answered
      ? Math.round((100 * (scores((n) => n >= 9) - scores((n) => n <= 6))) / answered)
      : undefined;
  return {
    questionId,
    kind,
    answered,
    distribution,
    ...(mean === undefined ? {} : { mean }),
    ...(npsScore === undefined ? {} : { npsScore }),
  };
}

const NOT_ANSWERED: QuestionCount = { answered: 0, values: new Map() };

/**
 * A survey's results from its tally, one slice per schedule kind answered under. In an anonymous
 * program every slice, and every question inside a slice, with fewer than k respondents is
 * suppressed.
 */
export function summarizeTally(
  definition: Pick<Survey, 'id' | 'questions'>,
  tally: SurveyTally,
  anonymity: AnonymitySettings,
): SurveyResults {
  const anonymous = anonymity.mode === 'anonymous';
  const slices = scheduleKinds.flatMap((scheduleKind) => {
    const respondents = tally.respondents.get(scheduleKind) ?? 0;
    return respondents > 0 ? [{ scheduleKind, respondents }] : [];
  });
  const { shown } = anonymous
    ? suppressSmallSlices(slices, (s) => s.respondents, anonymity.k)
    : { shown: slices };
  const visible = new Set(shown);
  const results: SliceResult[] = slices.map((slice) => {
    if (!visible.has(slice)) return { scheduleKind: slice.scheduleKind, suppressed: true };
    // Questions are not slices of one total (optional ones are skipped), so each stands alone.
    return {
      scheduleKind: slice.scheduleKind,
      suppressed: false,
      respondents: slice.respondents,
      questions: definition.questions.map((question) => {
        const counts = tally.questions.get(question.id)?.get(slice.scheduleKind) ?? NOT_ANSWERED;
        return {
          ...(question.measures ? { measures: question.measures } : {}),
          ...(anonymous && counts.answered < anonymity.k
            ? { questionId: question.id, kind: question.kind, suppressed: true }
            : { ...aggregate(question, counts), suppressed: false }),
        };
      }),
    };
  });
  return {
    surveyId: definition.id,
    anonymity: anonymity.mode,
    ...(anonymous ? { k: anonymity.k } : {}),
    slices: results,
  };
}

/** A survey's results from its responses themselves (a survey created before tallies were kept). */
export const summarizeSurvey = (
  definition: Pick<Survey, 'id' | 'questions'>,
  responses: readonly Pick<SurveyResponse, 'scheduleKind' | 'answers'>[],
  anonymity: AnonymitySettings,
): SurveyResults => summarizeTally(definition, tallyOf(definition.questions, responses), anonymity);
