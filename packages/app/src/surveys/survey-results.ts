import {
  ConflictError,
  type SurveyResponse,
  type SurveyResults,
  summarizeSurvey,
  summarizeTally,
} from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/**
 * A survey's responses in aggregate per schedule, from the tally its answers keep (a few items,
 * whatever the number of responses); in an anonymous program, slices and questions with fewer than
 * k respondents are suppressed. A survey created before tallies were kept is summed from every
 * response, as before.
 */
export async function getSurveyResults(
  ctx: TenantContext,
  programId: string,
  surveyId: string,
): Promise<SurveyResults> {
  const [program, survey, tally] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.surveys.get(programId, surveyId),
    ctx.store.surveys.tally(programId, surveyId),
  ]);
  if (tally) return summarizeTally(survey, tally, program.anonymity);
  const responses = await ctx.store.surveyResponses.answersOfSurvey(programId, surveyId);
  return summarizeSurvey(survey, responses, program.anonymity);
}

/** Individual responses, with who answered: identified programs only (409 for anonymous ones). */
export async function listSurveyResponses(
  ctx: TenantContext,
  programId: string,
  surveyId: string,
  page: PageRequest,
): Promise<Page<SurveyResponse>> {
  const [program] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.surveys.get(programId, surveyId),
  ]);
  if (program.anonymity.mode === 'anonymous')
    throw new ConflictError(
      `Program ${programId} is anonymous: its responses are read in aggregate (GET …/surveys/${surveyId}/results)`,
    );
  return ctx.store.surveyResponses.ofProgram(programId, page, surveyId);
}
