import * as z from 'zod';
import {
  entityMeta,
  httpUrlPattern,
  isoDateTime,
  plainTextMessage,
  plainTextPattern,
  text,
} from './common.ts';
import { ConflictError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';

/** What a library item is: a text to read, a link to follow, or a list of steps to tick off. */
export const resourceKinds = ['article', 'link', 'checklist'] as const;
export type ResourceKind = (typeof resourceKinds)[number];

export const resourceStatuses = ['active', 'archived'] as const;

/** Options per quiz question: a short quiz, answered by index. */
const MAX_OPTIONS = 8;

export const resourceTag = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or -, not starting with -')
  .meta({ example: 'active-listening', maxLength: 40 });

const optionIndex = z
  .int()
  .min(0)
  .max(MAX_OPTIONS - 1);

const questionFields = {
  prompt: text(500).meta({ example: 'What does a good open question invite?' }),
  options: z.array(text(300)).min(2).max(MAX_OPTIONS),
};

const correctOptions = z
  .array(optionIndex)
  .min(1)
  .max(MAX_OPTIONS)
  .meta({
    uniqueItems: true,
    description:
      'Indexes into `options` of every correct option; a question counts as answered when exactly these are chosen. ' +
      'Returned to API keys only, never to participants.',
  });

export const quizQuestion = z
  .strictObject({ ...questionFields, correct: correctOptions })
  .superRefine((question, ctx) => {
    if (new Set(question.correct).size !== question.correct.length)
      ctx.addIssue({ code: 'custom', path: ['correct'], message: 'must not repeat an option' });
    question.correct.forEach((index, i) => {
      if (index >= question.options.length)
        ctx.addIssue({ code: 'custom', path: ['correct', i], message: 'must be the index of an option' });
    });
  })
  .meta({ id: 'QuizQuestion', description: 'Every index in `correct` names one of `options`, once' });

export const quiz = z
  .strictObject({
    passMark: z
      .int()
      .min(1)
      .max(100)
      .meta({ description: 'Percent of the questions answered correctly that passes', example: 80 }),
    questions: z.array(quizQuestion).min(1).max(20),
  })
  .meta({ id: 'Quiz', description: 'A short quiz graded by the server against the pass mark' });
export type Quiz = z.infer<typeof quiz>;

const resourceFields = {
  kind: z.enum(resourceKinds).meta({
    description: 'article needs `body` (Markdown or plain text), link needs `url`, checklist needs `items`',
  }),
  title: text(200).meta({ example: 'Active listening' }),
  summary: text(1000).optional(),
  body: text(50_000).optional().meta({ description: 'Markdown or plain text; required for an article' }),
  url: z
    .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
    .max(2048)
    .regex(plainTextPattern, plainTextMessage)
    .meta({
      description: 'http(s); required for a link',
      example: 'https://example.com/listening',
      // The plain-text check would otherwise drop the `uri` format z.url() states.
      format: 'uri',
      pattern: httpUrlPattern,
    })
    .optional(),
  items: z
    .array(text(300))
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'The steps, in order; required for a checklist' }),
  tags: z
    .array(resourceTag)
    .max(20)
    .default([])
    .refine((tags) => new Set(tags).size === tags.length, 'must not repeat a tag')
    .meta({ uniqueItems: true }),
  trainingModule: z.boolean().default(false).meta({
    description:
      'A module participants complete (self-attested, or by passing its quiz); programs can require it',
  }),
  quiz: quiz
    .optional()
    .meta({ description: 'Training modules only: completing the module means passing it' }),
};

type ResourceShape = {
  kind: ResourceKind;
  body?: string | undefined;
  url?: string | undefined;
  items?: string[] | undefined;
  trainingModule: boolean;
  quiz?: Quiz | undefined;
};

/** What each kind needs; a quiz belongs to a training module. */
function checkResource(value: ResourceShape, ctx: z.RefinementCtx) {
  const needed = { article: 'body', link: 'url', checklist: 'items' } as const;
  const field = needed[value.kind];
  if (value[field] === undefined)
    ctx.addIssue({ code: 'custom', path: [field], message: `required for a ${value.kind}` });
  if (value.quiz && !value.trainingModule)
    ctx.addIssue({ code: 'custom', path: ['quiz'], message: 'only a training module has a quiz' });
}

export const resourceInput = z.strictObject(resourceFields).superRefine(checkResource).meta({
  id: 'ResourceInput',
  description: 'An article needs body, a link url, a checklist items; only a training module takes a quiz',
});
export type ResourceInput = z.infer<typeof resourceInput>;

/** `kind` is fixed at creation; status moves only by archiving. */
export const resourcePatch = mergePatchSchema(z.object(resourceFields).omit({ kind: true }).shape).meta({
  id: 'ResourcePatch',
});

const stateFields = {
  id: idSchema('resource'),
  status: z.enum(resourceStatuses),
  archivedAt: isoDateTime.optional(),
  ...entityMeta,
};

/** The stored entity, with the quiz's answers. */
export const resource = z.strictObject({ ...resourceFields, ...stateFields }).superRefine(checkResource);
export type Resource = z.infer<typeof resource>;

/** What the API returns: participants get the quiz without its answers. */
export const resourceView = z
  .object({
    ...resourceFields,
    quiz: z
      .object({
        passMark: quiz.shape.passMark,
        questions: z.array(
          z
            .object({ ...questionFields, correct: correctOptions.optional() })
            .meta({ id: 'QuizQuestionView' }),
        ),
      })
      .optional()
      .meta({
        id: 'QuizView',
        description: 'Training modules only; `correct` is returned to API keys, never to participants',
      }),
    ...stateFields,
  })
  .meta({ id: 'Resource' });
export type ResourceView = z.infer<typeof resourceView>;

/** A participant's view: the quiz's answers stay on the server, which grades attempts. */
export function withoutAnswers(value: Resource): ResourceView {
  if (!value.quiz) return value;
  return {
    ...value,
    quiz: {
      passMark: value.quiz.passMark,
      questions: value.quiz.questions.map(({ prompt, options }) => ({ prompt, options })),
    },
  };
}

export function assertResourceActive(current: Pick<Resource, 'id' | 'status'>) {
  if (current.status !== 'active') throw new ConflictError(`Resource ${current.id} is archived`);
}
