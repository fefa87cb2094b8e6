import * as z from 'zod';
import { entityMeta, isoDateTime, text } from './common.ts';
import { ConflictError, type FieldError, InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';

export const questionKinds = ['likert', 'nps', 'single_choice', 'multiple_choice', 'free_text'] as const;
export type QuestionKind = (typeof questionKinds)[number];

/**
 * When a survey is put in front of participants: on enrollment, 14 days after a relationship
 * starts (the early fit check), 30 days after it starts and then every `everyDays` (pulse), after
 * a meeting logged as held, and when a relationship is completed.
 */
export const scheduleKinds = ['pre_program', 'fit_check', 'pulse', 'post_meeting', 'close_out'] as const;
export type ScheduleKind = (typeof scheduleKinds)[number];

/** Days after a relationship starts that its fit check, and its first pulse, open. */
export const FIT_CHECK_AFTER_DAYS = 14;
export const FIRST_PULSE_AFTER_DAYS = 30;

const choiceKinds: readonly QuestionKind[] = ['single_choice', 'multiple_choice'];

const questionKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, _ or -')
  .meta({ example: 'confidence', maxLength: 40 });

export const surveyQuestion = z
  .strictObject({
    id: questionKey.meta({
      description: 'Stable key of the question: answers name it, and pre/post comparisons pair on it',
    }),
    kind: z.enum(questionKinds).meta({
      description:
        '`likert` (1–5), `nps` (0–10), `single_choice` (one of `options`), `multiple_choice` (one or more of `options`), `free_text`',
    }),
    prompt: text(500).meta({ example: 'How confident are you giving feedback?' }),
    options: z
      .array(text(200))
      .min(2)
      .max(20)
      .optional()
      .meta({ uniqueItems: true, description: 'Choice questions only, and required for them' }),
    required: z.boolean().default(true),
    measures: text(80)
      .optional()
      .meta({ description: 'The skill or outcome the question measures', example: 'giving-feedback' }),
  })
  .superRefine((question, ctx) => {
    const choice = choiceKinds.includes(question.kind);
    if (choice && !question.options)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `required for a ${question.kind} question`,
      });
    if (!choice && question.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice questions have options' });
    if (question.options && new Set(question.options).size !== question.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'must not repeat an option' });
  })
  .meta({ id: 'SurveyQuestion' });
export type SurveyQuestion = z.infer<typeof surveyQuestion>;

export const surveySchedule = z
  .strictObject({
    kind: z.enum(scheduleKinds),
    dueInDays: z
      .int()
      .min(0)
      .max(90)
      .default(7)
      .meta({ description: 'Days from opening to the due date participants are nudged about' }),
    expiresInDays: z.int().min(1).max(365).default(14).meta({
      description:
        'Days from opening until the instance closes; answers can be edited until then. At least dueInDays',
    }),
    everyDays: z
      .int()
      .min(7)
      .max(365)
      .optional()
      .meta({ description: 'pulse only, and required for it: days between pulses after the first' }),
    fitQuestionId: questionKey.optional().meta({
      description:
        'fit_check only, and required for it: the single_choice question asking whether the match works',
    }),
    rematchOn: text(200).optional().meta({
      description:
        'fit_check only, and required for it: the option of the fit question that opens a rematch request',
      example: 'No',
    }),
  })
  .meta({ id: 'SurveySchedule' });
export type SurveySchedule = z.infer<typeof surveySchedule>;

const surveyFields = {
  title: text(200).meta({ example: 'Mentoring baseline' }),
  description: text(2000).optional(),
  questions: z.array(surveyQuestion).min(1).max(50),
  schedules: z
    .array(surveySchedule)
    .max(scheduleKinds.length)
    .default([])
    .meta({ description: 'When instances open; one entry per kind' }),
  active: z
    .boolean()
    .default(true)
    .meta({ description: 'An inactive survey opens no new instances; open ones can still be answered' }),
};

type SurveyShape = { questions: SurveyQuestion[]; schedules: SurveySchedule[] };

/** Cross-field rules of a definition: unique question ids and schedule kinds, what each schedule needs. */
function checkSurvey(value: SurveyShape, ctx: z.RefinementCtx) {
  const ids = new Set<string>();
  value.questions.forEach((question, i) => {
    if (ids.has(question.id))
      ctx.addIssue({
        code: 'custom',
        path: ['questions', i, 'id'],
        message: 'must not repeat a question id',
      });
    ids.add(question.id);
  });
  const kinds = new Set<string>();
  value.schedules.forEach((schedule, i) => {
    const at = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: ['schedules', i, field], message });
    if (kinds.has(schedule.kind)) at('kind', 'must not repeat a schedule kind');
    kinds.add(schedule.kind);
    if (schedule.expiresInDays < schedule.dueInDays) at('expiresInDays', 'must be at least dueInDays');
    if ((schedule.kind === 'pulse') !== (schedule.everyDays !== undefined))
      at('everyDays', schedule.kind === 'pulse' ? 'required for a pulse' : 'only a pulse repeats');
    if (schedule.kind !== 'fit_check') {
      if (schedule.fitQuestionId !== undefined) at('fitQuestionId', 'only a fit_check has a fit question');
      if (schedule.rematchOn !== undefined) at('rematchOn', 'only a fit_check opens rematch requests');
      return;
    }
    const fit = value.questions.find((q) => q.id === schedule.fitQuestionId);
    if (fit?.kind !== 'single_choice')
      at('fitQuestionId', 'must name a single_choice question of this survey');
    else if (schedule.rematchOn === undefined || !fit.options?.includes(schedule.rematchOn))
      at('rematchOn', `must be one of the fit question's options`);
  });
}

export const surveyInput = z.strictObject(surveyFields).superRefine(checkSurvey).meta({
  id: 'SurveyInput',
  description:
    'Question ids and schedule kinds are unique; choice questions have options; a pulse has everyDays; a fit check names its fit question and the option that opens a rematch request',
});
export type SurveyInput = z.infer<typeof surveyInput>;

export const surveyPatch = mergePatchSchema(surveyFields).meta({ id: 'SurveyPatch' });

export const survey = z
  .strictObject({
    id: idSchema('survey'),
    programId: idSchema('program'),
    ...surveyFields,
    responses: z.int().min(0).meta({ description: 'Responses submitted to this survey' }),
    ...entityMeta,
  })
  .superRefine(checkSurvey)
  .meta({ id: 'Survey' });
export type Survey = z.infer<typeof survey>;

/**
 * Once a survey has responses, its questions keep their meaning: no question is removed or changes
 * kind, and a choice question keeps its options (new ones may be added). Prompts, new questions and
 * schedules may change. Otherwise stored answers would no longer fit, or would be counted under a
 * different question.
 */
export function assertQuestionsCompatible(current: Survey, updated: Pick<Survey, 'questions'>) {
  if (current.responses === 0) return;
  const next = new Map(updated.questions.map((q) => [q.id, q]));
  const errors: FieldError[] = [];
  for (const question of current.questions) {
    const after = next.get(question.id);
    if (!after) errors.push({ field: '/questions', message: `question ${question.id} has answers; keep it` });
    else if (after.kind !== question.kind)
      errors.push({
        field: '/questions',
        message: `question ${question.id} has answers as ${question.kind}`,
      });
    else if (question.options?.some((option) => !after.options?.includes(option)))
      errors.push({ field: '/questions', message: `question ${question.id} must keep its options` });
  }
  if (errors.length)
    throw new ConflictError(
      `Survey ${current.id} has ${current.responses} response(s): its questions keep their ids, kinds and options`,
      errors,
    );
}

export const surveyInstanceStatuses = ['open', 'answered', 'closed', 'expired'] as const;
export type SurveyInstanceStatus = (typeof surveyInstanceStatuses)[number];

export const surveyInstance = z
  .strictObject({
    id: idSchema('surveyInstance'),
    programId: idSchema('program'),
    surveyId: idSchema('survey'),
    scheduleKind: z.enum(scheduleKinds),
    personId: idSchema('person'),
    relationshipId: idSchema('relationship').optional(),
    meetingId: idSchema('meeting').optional(),
    status: z.enum(surveyInstanceStatuses).meta({
      description:
        '`open` (waiting for an answer), `answered` (editable until it closes), `closed` (answered, past expiresAt), `expired` (never answered)',
    }),
    openedAt: isoDateTime,
    dueAt: isoDateTime,
    expiresAt: isoDateTime,
    responseId: idSchema('surveyResponse').optional(),
    submittedAt: isoDateTime.optional(),
    ...entityMeta,
  })
  .meta({ id: 'SurveyInstance' });
export type SurveyInstance = z.infer<typeof surveyInstance>;

/**
 * The status as of `now`: an instance closes at its expiry whether or not the scheduled job has
 * recorded it yet, so reads and answers never depend on the job having run.
 */
export function instanceStatusAt(instance: SurveyInstance, now: Date): SurveyInstanceStatus {
  if (now.getTime() < Date.parse(instance.expiresAt)) return instance.status;
  return instance.responseId ? 'closed' : 'expired';
}

/** A new instance of a survey for one participant, opening now. */
export function newInstanceTiming(schedule: SurveySchedule, now: Date) {
  const day = 86_400_000;
  return {
    openedAt: now.toISOString(),
    dueAt: new Date(now.getTime() + schedule.dueInDays * day).toISOString(),
    expiresAt: new Date(now.getTime() + schedule.expiresInDays * day).toISOString(),
  };
}

export const answerValue = z
  .union([z.int().min(0).max(10), text(4000), z.array(text(200)).min(1).max(20)])
  .meta({
    description:
      'An integer (likert 1–5, nps 0–10), a string (single_choice, free_text) or strings (multiple_choice)',
  });
export type AnswerValue = z.infer<typeof answerValue>;

export const surveyAnswer = z
  .strictObject({ questionId: questionKey, value: answerValue })
  .meta({ id: 'SurveyAnswer' });
export type SurveyAnswer = z.infer<typeof surveyAnswer>;

export const surveyAnswersInput = z.strictObject({ answers: z.array(surveyAnswer).max(50) }).meta({
  id: 'SurveyAnswersInput',
  description: 'One answer per question at most; every required question answered',
});
export type SurveyAnswersInput = z.infer<typeof surveyAnswersInput>;

function answerProblem(question: SurveyQuestion, value: AnswerValue): string | undefined {
  switch (question.kind) {
    case 'likert':
      return typeof value === 'number' && value >= 1 && value <= 5 ? undefined : 'must be an integer 1–5';
    case 'nps':
      return typeof value === 'number' && value >= 0 && value <= 10 ? undefined : 'must be an integer 0–10';
    case 'single_choice':
      return typeof value === 'string' && question.options?.includes(value)
        ? undefined
        : 'must be one of its options';
    case 'multiple_choice':
      if (!Array.isArray(value) || value.some((v) => !question.options?.includes(v)))
        return 'must be a list of its options';
      return new Set(value).size === value.length ? undefined : 'must not repeat an option';
    case 'free_text':
      return typeof value === 'string' ? undefined : 'must be text';
  }
}

/** Checks answers against the survey's questions: 422 naming each question that does not fit. */
export function assertAnswersValid(questions: SurveyQuestion[], answers: SurveyAnswer[]) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  answers.forEach((answer, i) => {
    const question = byId.get(answer.questionId);
    if (!question) {
      errors.push({ field: `/answers/${i}/questionId`, message: `no question ${answer.questionId}` });
      return;
    }
    if (seen.has(answer.questionId)) {
      errors.push({
        field: `/answers/${i}/questionId`,
        message: `question ${answer.questionId} answered twice`,
      });
      return;
    }
    seen.add(answer.questionId);
    const problem = answerProblem(question, answer.value);
    if (problem)
      errors.push({
        field: `/answers/${i}/value`,
        message: `question ${question.id} (${question.kind}): ${problem}`,
      });
  });
  for (const question of questions)
    if (question.required && !seen.has(question.id))
      errors.push({ field: '/answers', message: `question ${question.id} is required` });
  if (errors.length)
    throw new InvalidInputError(
      `The answers do not fit the survey: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    );
}

export const surveyResponse = z
  .strictObject({
    id: idSchema('surveyResponse'),
    programId: idSchema('program'),
    surveyId: idSchema('survey'),
    instanceId: idSchema('surveyInstance'),
    scheduleKind: z.enum(scheduleKinds),
    personId: idSchema('person'),
    relationshipId: idSchema('relationship').optional(),
    submittedAt: isoDateTime,
    answers: z.array(surveyAnswer),
    ...entityMeta,
  })
  .meta({ id: 'SurveyResponse' });
export type SurveyResponse = z.infer<typeof surveyResponse>;

/** The schedule of a kind, where the survey has one and is active. */
export function scheduleOf(value: Pick<Survey, 'active' | 'schedules'>, kind: ScheduleKind) {
  return value.active ? value.schedules.find((s) => s.kind === kind) : undefined;
}

/** Whether answering a fit check this way asks for a rematch. */
export function asksForRematch(value: Survey, scheduleKind: ScheduleKind, answers: SurveyAnswer[]): boolean {
  if (scheduleKind !== 'fit_check') return false;
  const schedule = value.schedules.find((s) => s.kind === 'fit_check');
  if (!schedule) return false;
  return answers.some((a) => a.questionId === schedule.fitQuestionId && a.value === schedule.rematchOn);
}

/** An instance as its participant reads it: the survey's questions, and their answers once given. */
export const mySurvey = surveyInstance
  .extend({
    title: z.string(),
    description: z.string().optional(),
    questions: z.array(surveyQuestion),
    answers: z.array(surveyAnswer).optional(),
  })
  .meta({ id: 'MySurvey' });
export type MySurvey = z.infer<typeof mySurvey>;
