import { ConflictError, type SurveyResponse, type SurveyResults, summarizeSurvey } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/**
 * A survey's responses in aggregate per schedule; in an anonymous program, slices and questions
 * with fewer than k respondents are suppressed.
 */
export async function getSurveyResults(
  ctx: TenantContext,
  programId: string,
  surveyId: string,
): Promise<SurveyResults> {
  const [program, survey] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.surveys.get(programId, surveyId),
  ]);
  const responses = await ctx.store.surveyResponses.allOfSurvey(programId, surveyId);
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
