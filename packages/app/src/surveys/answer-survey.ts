import {
  asksForRematch,
  assertAnswersValid,
  ConflictError,
  domainEvent,
  instanceStatusAt,
  type MySurvey,
  newId,
  type SurveyAnswersInput,
  type SurveyInstance,
  type SurveyResponse,
  tallyChange,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';
import { requestRematch } from '../relationships/rematch-requests.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { mySurveyView } from './my-surveys.ts';

/**
 * A participant answers their own survey instance, or changes their answers until it closes. Every
 * answer is checked against its question's kind (422 naming the question). The response, the
 * instance, the survey's response count and what the answers change in its tally are written in
 * one transaction with `survey.answered`.
 * In an identified program, a fit-check answer that says the match does not work opens a rematch
 * request through the rematch use case, in the same transaction; in an anonymous program it does
 * not, as the request would tell the admins who answered so.
 */
export async function answerSurvey(
  ctx: ActorContext,
  instanceId: string,
  input: SurveyAnswersInput,
  precondition: Precondition,
): Promise<MySurvey> {
  const personId = participantOf(ctx.actor);
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const instance = await store.surveyInstances.get(personId, instanceId);
    assertVersion(instance, precondition);
    const now = ctx.clock();
    const status = instanceStatusAt(instance, now);
    if (status === 'closed' || status === 'expired')
      throw new ConflictError(`Survey instance ${instanceId} closed at ${instance.expiresAt}`);
    const [survey, program] = await Promise.all([
      store.surveys.get(instance.programId, instance.surveyId),
      store.programs.get(instance.programId),
    ]);
    assertAnswersValid(survey.questions, input.answers);
    const previous = instance.responseId ? await store.surveyResponses.get(instance.responseId) : undefined;
    const at = now.toISOString();
    const response: SurveyResponse = {
      id: previous?.id ?? newId('surveyResponse'),
      programId: instance.programId,
      surveyId: instance.surveyId,
      instanceId,
      scheduleKind: instance.scheduleKind,
      personId,
      ...(instance.relationshipId ? { relationshipId: instance.relationshipId } : {}),
      submittedAt: previous?.submittedAt ?? at,
      answers: input.answers,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      version: (previous?.version ?? 0) + 1,
    };
    const next: SurveyInstance = {
      ...instance,
      status: 'answered',
      responseId: response.id,
      submittedAt: response.submittedAt,
      updatedAt: at,
      version: instance.version + 1,
    };
    const ops = [
      await store.surveyInstances.replaceOp(instance, next),
      await store.surveys.answeredOp(survey, previous === undefined),
      ...(await store.surveys.tallyOps(survey, tallyChange(survey.questions, previous, response))),
    ];
    const answered = domainEvent('survey.answered', {
      programId: instance.programId,
      surveyId: instance.surveyId,
      instanceId,
      responseId: response.id,
      kind: instance.scheduleKind,
    });
    const rematch =
      program.anonymity.mode === 'identified' &&
      instance.relationshipId !== undefined &&
      asksForRematch(survey, instance.scheduleKind, input.answers) &&
      !(previous && asksForRematch(survey, instance.scheduleKind, previous.answers));
    if (rematch && instance.relationshipId)
      try {
        await requestRematch(
          ctx,
          instance.relationshipId,
          { reason: 'mismatch', detail: `Answered the early fit check of survey "${survey.title}"` },
          { ops: [await store.surveyResponses.saveOp(previous, response), ...ops], events: [answered] },
        );
        return mySurveyView(next, survey, response, now);
      } catch (error) {
        // Already waiting in the admins' queue: the answer is recorded on its own.
        if (!(error instanceof ConflictError)) throw error;
      }
    await store.surveyResponses.save(previous, response, ops, answered);
    return mySurveyView(next, survey, response, now);
  });
}
