import {
  assertOngoing,
  domainEvent,
  type EventDraft,
  type HealthBasis,
  type HealthScore,
  healthBasisInput,
  healthBasisOf,
  meetingInterval,
  type Program,
  type PulseSignal,
  type Relationship,
  type RelationshipHealth,
  scoreHealth,
  type Timer,
  TimerAlreadyHandledError,
} from '@tandem/core';
import type {
  GatheredWriter,
  HealthEvaluationInputs,
  HealthEvaluationState,
  HealthPlaceholder,
  WriteOp,
} from '@tandem/store';
import type { TenantContext } from '../context.ts';
import type { PassReads } from '../schedule/pass-reads.ts';
import { retryOnFreshState } from '../versioned.ts';

/**
 * Signals of other features that health may weigh when the host provides them: pulse survey
 * answers (the surveys feature). Without one, that component is reported as not measured.
 */
export interface HealthSignals {
  pulse?(relationship: Relationship): Promise<PulseSignal | undefined>;
}

export interface HealthContext extends TenantContext {
  healthSignals?: HealthSignals | undefined;
  /** The scheduled job's pass, whose evaluations share one read of each program. */
  pass?: PassReads | undefined;
}

/** What an assessment computed, with what it read that the evaluation stores against. */
export interface HealthAssessment {
  program: Program;
  assessed: HealthScore;
  intervalDays: number;
  /** The evaluation stored last (read with the rest of the partition, or given). */
  previous: RelationshipHealth | undefined;
  /** Before the first evaluation: the placeholder its write replaces (see `store.health.placeholderOp`). */
  placeholder: HealthPlaceholder | undefined;
  /** What the score was computed from in the partition, and the inputs mark read before it. */
  basis: HealthBasis;
  inputsMark: string | undefined;
}

function readProgram(ctx: HealthContext, programId: string): Promise<Program> {
  const read = () => ctx.store.programs.get(programId);
  return ctx.pass ? ctx.pass.once(`program#${programId}`, read) : read();
}

/**
 * Whether the last evaluation's basis is still the partition's: it stored the inputs mark it read
 * before its inputs, and every write of an input since would have replaced that mark.
 */
export const unchangedSince = (
  state: HealthEvaluationState | undefined,
): state is Required<HealthEvaluationState> =>
  state?.inputsMark !== undefined &&
  state.previous?.basis !== undefined &&
  state.previous.inputsMark === state.inputsMark;

/**
 * Scores a relationship from its partition (one query, see `store.health.evaluationInputs`) and
 * its program, as of the context's clock. Given the state read before the partition (`state`),
 * and its inputs unchanged since the last evaluation, it scores that evaluation's basis instead of
 * reading the partition: the same result, since only the clock moved. Given the partition read
 * after that state (`inputs`: the scheduled job reads a page's partitions together), it scores
 * that instead of querying.
 */
export async function assessHealth(
  ctx: HealthContext,
  relationship: Relationship,
  state?: HealthEvaluationState,
  inputs?: HealthEvaluationInputs,
): Promise<HealthAssessment> {
  const unchanged = unchangedSince(state);
  const [program, partition, pulse] = await Promise.all([
    readProgram(ctx, relationship.programId),
    unchanged
      ? { previous: state.previous, placeholder: undefined, ...healthBasisInput(state.previous.basis!) }
      : (inputs ?? ctx.store.health.evaluationInputs(relationship.id)),
    ctx.healthSignals?.pulse?.(relationship),
  ]);
  const { previous, placeholder, agreement, meetings, goals, feedback } = partition;
  const input = { relationship, program, agreement, meetings, goals, feedback, pulse, now: ctx.clock() };
  return {
    program,
    assessed: scoreHealth(input),
    intervalDays: meetingInterval(input).days,
    previous,
    placeholder,
    basis: unchanged ? state.previous.basis! : healthBasisOf(input),
    inputsMark: state?.inputsMark,
  };
}

/**
 * What the caller read before the evaluation: the relationship, the evaluation state, and the
 * partition read after that state (for an evaluation whose inputs changed).
 */
export interface KnownBeforeEvaluation {
  relationship: Relationship;
  state?: HealthEvaluationState | undefined;
  inputs?: HealthEvaluationInputs | undefined;
}

/** The scheduled job's health timer an evaluation handles, and when the next one falls due. */
export interface HealthDue {
  timer: Timer;
  nextDueAt: string;
  /**
   * The evaluation's share of its page's writes, which the job sends together in transactions
   * (`store.health.gatherWrites`); a retry after a lost race writes alone.
   */
  writes?: GatheredWriter | undefined;
}

/**
 * Evaluates an ongoing relationship's health and stores it with the day's history entry. Crossing
 * the program's threshold downwards raises `relationship.at_risk`, crossing back up
 * `relationship.recovered`, and a meeting overdue past the grace days `meeting.overdue` once per
 * overdue period (until the members meet again): each in the transaction that stores the state it
 * compares against, conditional on the state read, so repeated or concurrent evaluations raise
 * each event once. The stored evaluation carries the relationship's health timer (from the start
 * on, the placeholder that the first evaluation replaces carries it): given the timer it handles
 * (`due`), it moves it to `due.nextDueAt` in the same write, and removes a timer item it replaces
 * (one set when a relationship started before the placeholder existed) in the transaction, or after
 * the writes of an evaluation that raised no event. Without `due` the timer stays as it was.
 */
export async function evaluateHealth(
  ctx: HealthContext,
  relationshipId: string,
  due?: HealthDue,
  read?: KnownBeforeEvaluation,
): Promise<RelationshipHealth> {
  // The caller's reads and its gathering of writes serve the first attempt; a retry reads the
  // partition afresh and writes alone.
  let known = read;
  let writes = due?.writes;
  return retryOnFreshState(async () => {
    const { store } = ctx;
    const via = writes;
    writes = undefined;
    const relationship = known?.relationship ?? (await store.relationships.get(relationshipId));
    const { state, inputs } = known ?? {};
    known = undefined;
    assertOngoing(relationship);
    const { program, assessed, intervalDays, previous, placeholder, basis, inputsMark } = await assessHealth(
      ctx,
      relationship,
      state,
      inputs,
    );
    const replaced = previous ?? placeholder;
    // The timer it carries moved since the job read it: another pass did this evaluation.
    if (due?.timer.carried && replaced?.dueAt !== due.timer.dueAt)
      throw new TimerAlreadyHandledError(`The health timer of ${relationshipId} was handled or moved`);
    const now = ctx.clock().toISOString();
    const personIds = relationship.members.map((m) => m.personId);
    const about = { relationshipId, programId: relationship.programId };
    const threshold = program.health.atRiskBelow;
    const overdue = assessed.meetingOverdue && previous?.overdueNudgedFor !== assessed.lastMetAt;
    const next: RelationshipHealth = {
      ...about,
      score: assessed.score,
      atRisk: assessed.atRisk,
      ...(assessed.atRisk ? { atRiskSince: previous?.atRisk ? previous.atRiskSince : now } : {}),
      threshold,
      components: assessed.components,
      reasons: assessed.reasons,
      lastMetAt: assessed.lastMetAt,
      ...(overdue
        ? { overdueNudgedFor: assessed.lastMetAt }
        : previous?.overdueNudgedFor
          ? { overdueNudgedFor: previous.overdueNudgedFor }
          : {}),
      evaluatedAt: now,
      version: (previous?.version ?? 0) + 1,
      basis,
      ...(inputsMark === undefined ? {} : { inputsMark }),
      ...(due ? { dueAt: due.nextDueAt } : replaced?.dueAt ? { dueAt: replaced.dueAt } : {}),
    };
    const timerItemRemoval: WriteOp[] =
      due && !due.timer.carried ? [await store.timers.clearOp(due.timer)] : [];
    const events: EventDraft[] = [];
    if (next.atRisk && !previous?.atRisk)
      events.push(
        domainEvent('relationship.at_risk', {
          ...about,
          score: next.score,
          threshold,
          reasons: next.reasons,
        }),
      );
    if (!next.atRisk && previous?.atRisk)
      events.push(domainEvent('relationship.recovered', { ...about, score: next.score, threshold }));
    if (overdue)
      events.push(
        domainEvent('meeting.overdue', { ...about, personIds, lastMetAt: assessed.lastMetAt, intervalDays }),
      );
    if (events.length)
      await store.health.record(
        replaced,
        next,
        events,
        [await store.relationships.ongoingCheck(relationshipId), ...timerItemRemoval],
        via,
      );
    // Most evaluations change nothing an event reports: with no outbox entry to keep atomic, their
    // writes go item by item (a transaction costs several single writes), a replaced timer item's
    // removal last; in the job's pass they go with the page's other writes (`due.writes`), where a
    // shared transaction costs less than a single write each. Without the ongoing check, one that lands just after the relationship ended
    // stores what it would have stored just before; the end's removal of the at-risk entry stays
    // removed, and the job's next pass removes the timer it carries.
    else await store.health.recordWithoutEvents(replaced, next, timerItemRemoval, via);
    return next;
  });
}
