import {
  assertQuestionsCompatible,
  ConflictError,
  domainEvent,
  newId,
  type Survey,
  type SurveyInput,
  type surveyPatch,
  survey as surveySchema,
} from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';

/**
 * One active survey per schedule kind in a program: an event that opens instances (a meeting held
 * in a circle of twenty) then writes a bounded number of them in its transaction, and participants
 * are not asked the same kind of question twice at once.
 */
async function assertOneSurveyPerSchedule(ctx: TenantContext, value: Survey) {
  if (!value.active) return;
  const others = (await ctx.store.surveys.all(value.programId)).filter((s) => s.active && s.id !== value.id);
  const errors = value.schedules.flatMap((schedule, i) => {
    const taken = others.find((other) => other.schedules.some((s) => s.kind === schedule.kind));
    return taken
      ? [
          {
            field: `/schedules/${i}/kind`,
            message: `survey ${taken.id} already has a ${schedule.kind} schedule`,
          },
        ]
      : [];
  });
  if (errors.length)
    throw new ConflictError('A program has at most one active survey per schedule kind', errors);
}

/** Defines a survey of a program. */
export async function createSurvey(
  ctx: TenantContext,
  programId: string,
  input: SurveyInput,
): Promise<Survey> {
  await ctx.store.programs.get(programId);
  const now = ctx.clock().toISOString();
  const value: Survey = {
    id: newId('survey'),
    programId,
    ...input,
    responses: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await assertOneSurveyPerSchedule(ctx, value);
  await ctx.store.surveys.create(value, domainEvent('survey.created', { surveyId: value.id, programId }));
  return value;
}

/**
 * A JSON Merge Patch of a survey (arrays, such as questions, replace). Once it has responses its
 * questions keep their ids, kinds and options (409): see assertQuestionsCompatible.
 */
export function updateSurvey(
  ctx: TenantContext,
  programId: string,
  surveyId: string,
  patch: z.infer<typeof surveyPatch>,
  precondition: Precondition,
): Promise<Survey> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.surveys.get(programId, surveyId),
    schema: surveySchema,
    check: async (updated, current) => {
      assertQuestionsCompatible(current, updated);
      await assertOneSurveyPerSchedule(ctx, updated);
    },
    save: (current, updated, removed) =>
      store.surveys.update(
        current,
        updated,
        removed,
        domainEvent('survey.updated', { surveyId, programId, changed: Object.keys(patch) }),
      ),
  });
}

/** A program's surveys, oldest first; an unknown program is 404, not an empty page. */
export async function listSurveys(
  ctx: TenantContext,
  programId: string,
  page: PageRequest,
): Promise<Page<Survey>> {
  await ctx.store.programs.get(programId);
  return ctx.store.surveys.list(programId, page);
}
