import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { completeTraining, myTrainingStatus, trainingStatus } from '@tandem/app';
import {
  trainingCompletionInput,
  trainingRecord,
  trainingStatus as trainingStatusSchema,
} from '@tandem/core';
import { type AppEnv, actorContext } from '../env.ts';
import { idempotency, requireActor, requireParticipant } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  jsonBody,
  jsonResponse,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Training'];

const submission = z
  .object({
    outcome: z.enum(['completed', 'failed', 'already_completed']).meta({
      description:
        'completed: this submission completed the module; failed: a quiz attempt below the pass mark (kept, try again); already_completed: nothing changed',
    }),
    scorePercent: z.int().min(0).max(100).optional().meta({ description: 'This attempt, for a quiz' }),
    passMark: z.int().min(1).max(100).optional(),
    record: trainingRecord,
  })
  .meta({ id: 'TrainingSubmission' });

export function registerTrainingRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/me/training/{resourceId}/completion',
      operationId: 'completeTraining',
      description:
        "Records the participant's completion of a training module. Without a quiz the completion is self-attested (send `{}`). With a quiz, send `answers`: the server grades them against the pass mark. A failed attempt is not an error: it answers 200 with outcome `failed`, is kept on the record (attemptCount, the latest attempts) and may be retried; the quiz's answers are never revealed. Completion is permanent. 409 for an archived resource or one that is not a training module; 422 when the answers do not fit the quiz. Participants only.",
      tags,
      summary: 'Complete a training module (self-attested, or graded quiz answers)',
      middleware: [requireParticipant(), idempotency()] as const,
      request: {
        params: idParams({ resourceId: 'resource' }),
        headers: idempotencyHeaders,
        ...jsonBody(trainingCompletionInput),
      },
      responses: {
        200: jsonResponse(submission, 'The outcome and the record'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const result = await completeTraining(
        actorContext(c),
        c.req.valid('param').resourceId,
        c.req.valid('json'),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/me/training',
      operationId: 'getMyTraining',
      description:
        "The participant's status on every module their role requires, in each program they are actively enrolled in. Matching leaves out an enrollment until its program's modules are complete. Participants only.",
      tags,
      summary: 'My required training, per program',
      middleware: [requireParticipant()] as const,
      responses: {
        200: jsonResponse(trainingStatusSchema, 'The status'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => c.json(await myTrainingStatus(actorContext(c)), 200),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/people/{personId}/training',
      operationId: 'getPersonTraining',
      description:
        "A person's status on every module their role requires, in each program they are actively enrolled in. API keys need `read` or `programs:write`; a participant reaches only their own (404 otherwise).",
      tags,
      summary: "A person's required training, per program",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: idParams({ personId: 'person' }) },
      responses: {
        200: jsonResponse(trainingStatusSchema, 'The status'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => c.json(await trainingStatus(actorContext(c), c.req.valid('param').personId), 200),
  );
}
