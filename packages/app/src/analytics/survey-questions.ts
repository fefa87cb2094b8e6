import type { Survey } from '@tandem/core';

/** The ids of a survey's NPS questions: their answers count towards the program's NPS. */
export const npsQuestionsOf = (survey: Pick<Survey, 'questions'>): ReadonlySet<string> =>
  new Set(survey.questions.filter((q) => q.kind === 'nps').map((q) => q.id));
