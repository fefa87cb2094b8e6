import * as z from 'zod';
import { type AnonymitySettings, anonymityModes, suppressSmallSlices } from './anonymity.ts';
import {
  type QuestionKind,
  questionKinds,
  type ScheduleKind,
  type Survey,
  type SurveyResponse,
  scheduleKinds,
} from './survey.ts';

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

function aggregate(
  questionId: string,
  kind: QuestionKind,
  answers: unknown[],
): Omit<QuestionResult, 'suppressed' | 'measures'> {
  const answered = answers.length;
  if (kind === 'free_text') return { questionId, kind, answered };
  const distribution: Record<string, number> = {};
  for (const value of answers.flatMap((a) => (Array.isArray(a) ? a : [a])))
    distribution[String(value)] = (distribution[String(value)] ?? 0) + 1;
  if (kind !== 'likert' && kind !== 'nps') return { questionId, kind, answered, distribution };
  const numbers = answers as number[];
  const mean = answered ? round(numbers.reduce((sum, n) => sum + n, 0) / answered) : undefined;
  const npsScore =
    kind === 'nps' && answered
      ? Math.round(
          (100 * (numbers.filter((n) => n >= 9).length - numbers.filter((n) => n <= 6).length)) / answered,
        )
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

/**
 * A survey's responses in aggregate, one slice per schedule kind. In an anonymous program every
 * slice, and every question inside a slice, with fewer than k respondents is suppressed.
 */
export function summarizeSurvey(
  definition: Survey,
  responses: readonly SurveyResponse[],
  anonymity: AnonymitySettings,
): SurveyResults {
  const anonymous = anonymity.mode === 'anonymous';
  const bySchedule = new Map<ScheduleKind, SurveyResponse[]>();
  for (const response of responses)
    bySchedule.set(response.scheduleKind, [...(bySchedule.get(response.scheduleKind) ?? []), response]);
  const slices = scheduleKinds.flatMap((scheduleKind) => {
    const within = bySchedule.get(scheduleKind);
    return within ? [{ scheduleKind, respondents: within.length, within }] : [];
  });
  const { shown } = anonymous
    ? suppressSmallSlices(slices, (s) => s.respondents, anonymity.k)
    : { shown: slices };
  const visible = new Set(shown);
  const results: SliceResult[] = slices.map((slice) => {
    if (!visible.has(slice)) return { scheduleKind: slice.scheduleKind, suppressed: true };
    const questions = definition.questions.map((question) => {
      const answers = slice.within.flatMap((r) =>
        r.answers.filter((a) => a.questionId === question.id).map((a) => a.value),
      );
      return { question, answers };
    });
    // Questions are not slices of one total (optional ones are skipped), so each stands alone.
    return {
      scheduleKind: slice.scheduleKind,
      suppressed: false,
      respondents: slice.respondents,
      questions: questions.map(({ question, answers }) => ({
        ...(question.measures ? { measures: question.measures } : {}),
        ...(anonymous && answers.length < anonymity.k
          ? { questionId: question.id, kind: question.kind, suppressed: true }
          : { ...aggregate(question.id, question.kind, answers), suppressed: false }),
      })),
    };
  });
  return {
    surveyId: definition.id,
    anonymity: anonymity.mode,
    ...(anonymous ? { k: anonymity.k } : {}),
    slices: results,
  };
}
