import {
  assertCompletable,
  assertSubmissionFits,
  domainEvent,
  gradeQuiz,
  KEPT_ATTEMPTS,
  type QuizGrade,
  type TrainingCompletionInput,
  type TrainingRecord,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';
import { retryOnFreshState } from '../versioned.ts';

export interface TrainingSubmission {
  /** completed: this submission completed the module; failed: a quiz attempt below the pass mark. */
  outcome: 'completed' | 'failed' | 'already_completed';
  scorePercent?: number | undefined;
  passMark?: number | undefined;
  record: TrainingRecord;
}

/**
 * A participant completes a module: by saying so when it has no quiz, or by answers the server
 * grades against the pass mark. A failed attempt is kept (and reported) but is not an error: it is
 * the participant's result, and they may try again. Completion is permanent; a submission after
 * it changes nothing.
 */
export async function completeTraining(
  ctx: ActorContext,
  resourceId: string,
  input: TrainingCompletionInput,
): Promise<TrainingSubmission> {
  const personId = participantOf(ctx.actor);
  const { store } = ctx;
  const module = await store.resources.get(resourceId);
  assertCompletable(module);
  assertSubmissionFits(module, input);
  const grade: QuizGrade | undefined =
    module.quiz && input.answers ? gradeQuiz(module.quiz, input.answers) : undefined;
  const passMark = module.quiz?.passMark;

  return retryOnFreshState(async () => {
    const current = await store.training.get(personId, resourceId);
    if (current?.completed) return { outcome: 'already_completed', record: current };
    const at = ctx.clock().toISOString();
    const attempts = grade
      ? [...(current?.attempts ?? []), { at, scorePercent: grade.scorePercent, passed: grade.passed }].slice(
          -KEPT_ATTEMPTS,
        )
      : (current?.attempts ?? []);
    const attemptCount = (current?.attemptCount ?? 0) + (grade ? 1 : 0);
    const passed = grade?.passed ?? true;
    const next: TrainingRecord = {
      personId,
      resourceId,
      completed: passed,
      ...(passed ? { completedAt: at, method: grade ? ('quiz' as const) : ('self_attested' as const) } : {}),
      ...(passed && grade ? { scorePercent: grade.scorePercent } : {}),
      attemptCount,
      attempts,
      createdAt: current?.createdAt ?? at,
      updatedAt: at,
      version: (current?.version ?? 0) + 1,
    };
    await store.training.save(
      current,
      next,
      passed
        ? domainEvent('training.completed', {
            personId,
            resourceId,
            method: grade ? 'quiz' : 'self_attested',
            ...(grade ? { scorePercent: grade.scorePercent } : {}),
          })
        : domainEvent('training.quiz_failed', {
            personId,
            resourceId,
            scorePercent: grade!.scorePercent,
            attemptCount,
          }),
    );
    return {
      outcome: passed ? 'completed' : 'failed',
      ...(grade ? { scorePercent: grade.scorePercent, passMark } : {}),
      record: next,
    };
  });
}
