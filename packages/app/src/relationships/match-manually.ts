import { domainEvent, newId, type Relationship, relationshipStart } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { firstHealthTimer } from '../health/health-timers.ts';
import { relationshipSurveyTimers } from '../surveys/survey-timers.ts';
import { scoreMatch } from './score-match.ts';

/**
 * Matches people by hand: scored and explained, under the same hard rules and capacity as a run,
 * starting as the program says (pending its agreement or active, with the program's milestones),
 * its daily health evaluation set in the same transaction.
 */
export async function matchManually(
  ctx: TenantContext,
  input: { programId: string; personIds: string[] },
): Promise<Relationship> {
  const now = ctx.clock();
  const [scored, surveys] = await Promise.all([
    scoreMatch(ctx.store, input.programId, input.personIds, now),
    ctx.store.surveys.all(input.programId),
  ]);
  const at = now.toISOString();
  const value: Relationship = {
    id: newId('relationship'),
    programId: input.programId,
    members: scored.members,
    score: scored.score,
    explanation: scored.explanation,
    matchSnapshot: scored.matchSnapshot,
    ...relationshipStart(scored.program, at),
    source: 'manual',
    startedAt: at,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await ctx.store.relationships.create(
    value,
    scored.limits,
    domainEvent('relationship.started', {
      relationshipId: value.id,
      programId: value.programId,
      personIds: value.members.map((m) => m.personId),
      source: 'manual',
      status: value.status,
    }),
    [
      ctx.store.timers.setOp(firstHealthTimer(value, now)),
      ...relationshipSurveyTimers(surveys, value).map((timer) => ctx.store.timers.setOp(timer)),
    ],
  );
  return value;
}
