import {
  instanceStatusAt,
  type MySurvey,
  type Survey,
  type SurveyInstance,
  type SurveyResponse,
} from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';

export function mySurveyView(
  instance: SurveyInstance,
  survey: Survey,
  response: SurveyResponse | undefined,
  now: Date,
): MySurvey {
  return {
    ...instance,
    status: instanceStatusAt(instance, now),
    title: survey.title,
    ...(survey.description ? { description: survey.description } : {}),
    questions: survey.questions,
    ...(response ? { answers: response.answers } : {}),
  };
}

/** The participant's survey instances, newest first, with their status as of now. */
export async function listMySurveys(ctx: ActorContext, page: PageRequest): Promise<Page<SurveyInstance>> {
  const found = await ctx.store.surveyInstances.ofPerson(participantOf(ctx.actor), page);
  const now = ctx.clock();
  return { ...found, items: found.items.map((item) => ({ ...item, status: instanceStatusAt(item, now) })) };
}

/** One of the participant's own instances; anyone else's is not found. */
export async function getMySurvey(ctx: ActorContext, instanceId: string): Promise<MySurvey> {
  const instance = await ctx.store.surveyInstances.get(participantOf(ctx.actor), instanceId);
  const [survey, response] = await Promise.all([
    ctx.store.surveys.get(instance.programId, instance.surveyId),
    instance.responseId ? ctx.store.surveyResponses.get(instance.responseId) : undefined,
  ]);
  return mySurveyView(instance, survey, response, ctx.clock());
}
