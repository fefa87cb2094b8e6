import * as z from 'zod';
import { isoDateTime } from './common.ts';
import { ConflictError, type FieldError, InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import type { Quiz, Resource } from './resource.ts';

/** The roles a program names modules for (the enrollment roles). */
export const trainingRoles = ['mentor', 'mentee', 'peer'] as const;
export type TrainingRole = (typeof trainingRoles)[number];

/** The rule's name wherever a run's report or a refused match explains an exclusion. */
export const REQUIRED_TRAINING_RULE = 'requiredTraining';

/** Attempts kept on a record (the most recent); `attemptCount` counts them all. */
export const KEPT_ATTEMPTS = 20;

const moduleList = z
  .array(idSchema('resource'))
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a module')
  .meta({ uniqueItems: true, description: 'Active training modules of the library' });

export const requiredTraining = z
  .strictObject({ mentor: moduleList.optional(), mentee: moduleList.optional(), peer: moduleList.optional() })
  .meta({
    id: 'RequiredTraining',
    description:
      'Training modules each role must complete before matching: runs leave out enrollments with a module missing ' +
      '(reported as unmatched, rule requiredTraining) and manual matches are refused (409). Each id must be an ' +
      'active training module (422 otherwise).',
  });
export type RequiredTraining = z.infer<typeof requiredTraining>;

export const trainingCompletionInput = z
  .strictObject({
    answers: z
      .array(
        z
          .array(z.int().min(0).max(7))
          .max(8)
          .refine((chosen) => new Set(chosen).size === chosen.length, 'must not repeat an option')
          .meta({ uniqueItems: true }),
      )
      .max(20)
      .optional()
      .meta({
        description:
          'For a module with a quiz (required there): one entry per question, in order, with the indexes of the ' +
          'options chosen. Omitted for a module without a quiz, whose completion is self-attested.',
      }),
  })
  .meta({ id: 'TrainingCompletionInput' });
export type TrainingCompletionInput = z.infer<typeof trainingCompletionInput>;

export const trainingAttempt = z
  .object({
    at: isoDateTime,
    scorePercent: z.int().min(0).max(100),
    passed: z.boolean(),
  })
  .meta({ id: 'TrainingAttempt' });
export type TrainingAttempt = z.infer<typeof trainingAttempt>;

export const trainingRecord = z
  .object({
    personId: idSchema('person'),
    resourceId: idSchema('resource'),
    completed: z.boolean(),
    completedAt: isoDateTime.optional(),
    method: z
      .enum(['self_attested', 'quiz'])
      .optional()
      .meta({ description: 'How the module was completed' }),
    scorePercent: z.int().min(0).max(100).optional().meta({ description: 'The passing score, for a quiz' }),
    attemptCount: z.int().min(0).meta({ description: 'Quiz attempts, failed ones included' }),
    attempts: z
      .array(trainingAttempt)
      .max(KEPT_ATTEMPTS)
      .meta({ description: `The latest ${KEPT_ATTEMPTS} quiz attempts, oldest first` }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    version: z.int().min(1),
  })
  .meta({
    id: 'TrainingRecord',
    description:
      "A person's progress on one module. Completion is permanent: once completed, further submissions change nothing.",
  });
export type TrainingRecord = z.infer<typeof trainingRecord>;

export interface QuizGrade {
  correct: number;
  scorePercent: number;
  passed: boolean;
}

/**
 * Grades answers against the quiz: a question counts when exactly its correct options are chosen,
 * and the attempt passes when the share of counted questions reaches the pass mark (compared in
 * integers, so 2 of 3 against 67 % is exact). Answers that do not fit the quiz are a 422.
 */
export function gradeQuiz(quiz: Quiz, answers: number[][]): QuizGrade {
  const errors: FieldError[] = [];
  if (answers.length !== quiz.questions.length)
    errors.push({ field: '/answers', message: `must answer each of the ${quiz.questions.length} questions` });
  answers.forEach((chosen, i) => {
    const options = quiz.questions[i]?.options.length ?? 0;
    if (new Set(chosen).size !== chosen.length)
      errors.push({ field: `/answers/${i}`, message: 'must not repeat an option' });
    chosen.forEach((index, j) => {
      if (index >= options)
        errors.push({ field: `/answers/${i}/${j}`, message: 'must be the index of an option' });
    });
  });
  if (errors.length) throw new InvalidInputError('The answers do not fit the quiz', errors);
  const correct = quiz.questions.filter((question, i) => {
    const chosen = new Set(answers[i]);
    return chosen.size === question.correct.length && question.correct.every((index) => chosen.has(index));
  }).length;
  const total = quiz.questions.length;
  return {
    correct,
    scorePercent: Math.floor((correct * 100) / total),
    passed: correct * 100 >= quiz.passMark * total,
  };
}

/** A module can be completed while it is an active training module. */
export function assertCompletable(module: Pick<Resource, 'id' | 'status' | 'trainingModule'>) {
  if (!module.trainingModule) throw new ConflictError(`Resource ${module.id} is not a training module`);
  if (module.status !== 'active') throw new ConflictError(`Training module ${module.id} is archived`);
}

/** How a submission must look for the module: answers for a quiz, none for a self-attested module. */
export function assertSubmissionFits(module: Pick<Resource, 'quiz'>, input: TrainingCompletionInput) {
  if (module.quiz && input.answers === undefined)
    throw new InvalidInputError('This module is completed by passing its quiz', [
      { field: '/answers', message: 'required: the module has a quiz' },
    ]);
  if (!module.quiz && input.answers !== undefined)
    throw new InvalidInputError('This module has no quiz; its completion is self-attested', [
      { field: '/answers', message: 'not taken: the module has no quiz' },
    ]);
}

/** The modules a role must complete in a program. */
export const requiredFor = (required: RequiredTraining | undefined, role: TrainingRole): string[] =>
  required?.[role] ?? [];

/** Every module any role of the program requires. */
export const allRequired = (required: RequiredTraining | undefined): string[] => [
  ...new Set(trainingRoles.flatMap((role) => requiredFor(required, role))),
];

/** Key of a (person, module) pair in sets of completions. */
export const completionKey = (personId: string, resourceId: string) => `${personId}|${resourceId}`;

/** The required modules of `role` that `personId` has not completed, in the program's order. */
export function missingTraining(
  required: RequiredTraining | undefined,
  role: TrainingRole,
  personId: string,
  completed: ReadonlySet<string>,
): string[] {
  return requiredFor(required, role).filter((id) => !completed.has(completionKey(personId, id)));
}

/** How a run's report and a refused match word the rule. */
export const trainingIncompleteDetail = (role: TrainingRole, missing: string[]) =>
  `${REQUIRED_TRAINING_RULE}: the ${role} has not completed ${missing.join(', ')}`;

export const moduleProgress = z
  .object({
    resourceId: idSchema('resource'),
    title: z.string().meta({ description: "The module's title (empty if it no longer exists)" }),
    status: z.enum(['completed', 'attempted', 'not_started']).meta({
      description: 'attempted: quiz attempts so far, none passing',
    }),
    completedAt: isoDateTime.optional(),
    attemptCount: z.int().min(0),
  })
  .meta({ id: 'ModuleProgress' });

export const trainingStatus = z
  .object({
    personId: idSchema('person'),
    complete: z.boolean().meta({ description: 'Every required module of every program is completed' }),
    programs: z.array(
      z
        .object({
          programId: idSchema('program'),
          name: z.string(),
          role: z.enum(trainingRoles),
          complete: z.boolean().meta({ description: 'Matching takes this enrollment into account' }),
          modules: z.array(moduleProgress),
        })
        .meta({ id: 'ProgramTrainingStatus' }),
    ),
  })
  .meta({
    id: 'TrainingStatus',
    description:
      "A person's required training: per active enrollment in a program that requires modules of its role",
  });
export type TrainingStatus = z.infer<typeof trainingStatus>;
