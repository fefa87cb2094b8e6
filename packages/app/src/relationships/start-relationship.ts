import { domainEvent, type Program, type Relationship, relationshipStart, type Survey } from '@tandem/core';
import type { MemberLimit, NewRelationship } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { firstHealthTimer } from '../health/health-timers.ts';
import { relationshipSurveyTimers } from '../surveys/survey-timers.ts';

/** What a new relationship is made of, from a published proposal or a manual match. */
export interface RelationshipOrigin {
  id: string;
  programId: string;
  members: Relationship['members'];
  limits: MemberLimit[];
  score: number;
  explanation: Relationship['explanation'];
  matchSnapshot?: Relationship['matchSnapshot'];
  source: Relationship['source'];
  matchRunId?: string | undefined;
}

/**
 * The one place a relationship is built, whoever starts it: its status and milestones as the
 * program says, its `relationship.started` event, and the timers its start sets (the program's fit
 * check and first pulse, and the first health evaluation, which the placeholder of the
 * relationship's evaluation item carries), ready for one transaction.
 */
export async function startRelationship(
  ctx: Pick<TenantContext, 'store'>,
  origin: RelationshipOrigin,
  program: Pick<Program, 'relationships'>,
  surveys: Survey[],
  at: Date,
): Promise<NewRelationship> {
  const instant = at.toISOString();
  const value: Relationship = {
    id: origin.id,
    programId: origin.programId,
    members: origin.members,
    score: origin.score,
    explanation: origin.explanation,
    ...(origin.matchSnapshot ? { matchSnapshot: origin.matchSnapshot } : {}),
    ...relationshipStart(program, instant),
    source: origin.source,
    ...(origin.matchRunId ? { matchRunId: origin.matchRunId } : {}),
    startedAt: instant,
    createdAt: instant,
    updatedAt: instant,
    version: 1,
  };
  return {
    value,
    limits: origin.limits,
    event: domainEvent('relationship.started', {
      relationshipId: value.id,
      programId: value.programId,
      personIds: value.members.map((m) => m.personId),
      source: value.source,
      status: value.status,
    }),
    alsoWrite: [
      await ctx.store.health.placeholderOp(firstHealthTimer(value, at)),
      ...(await Promise.all(
        relationshipSurveyTimers(surveys, value).map((timer) => ctx.store.timers.setOp(timer)),
      )),
    ],
  };
}
