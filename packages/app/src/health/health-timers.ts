import {
  ConflictError,
  NotFoundError,
  type Relationship,
  type Timer,
  TimerAlreadyHandledError,
} from '@tandem/core';
import type { GatheredWriter, HealthEvaluationInputs, HealthEvaluationState } from '@tandem/store';
import type { ScheduledContext } from '../schedule/timer-handlers.ts';
import { evaluateHealth, unchangedSince } from './evaluate-health.ts';

const DAY_MS = 86_400_000;

/** A relationship's daily health evaluation. */
export const healthTimer = (relationshipId: string, dueAt: Date): Timer => ({
  kind: 'relationship.health',
  subjectId: relationshipId,
  dueAt: dueAt.toISOString(),
});

/** The first evaluation of a relationship that starts at `startedAt`: a day later. */
export const firstHealthTimer = (relationship: Pick<Relationship, 'id'>, startedAt: Date): Timer =>
  healthTimer(relationship.id, new Date(startedAt.getTime() + DAY_MS));

/**
 * The next daily evaluation after `now`, at the timer's time of day: a job that was down catches
 * up with one evaluation, not one per day missed.
 */
function nextDue(timer: Timer, now: Date): Date {
  const due = Date.parse(timer.dueAt);
  const days = Math.max(1, Math.floor((now.getTime() - due) / DAY_MS) + 1);
  return new Date(due + days * DAY_MS);
}

const aheadKey = (relationshipId: string) => `relationship#${relationshipId}`;
const stateKey = (relationshipId: string) => `health#${relationshipId}`;
const inputsKey = (relationshipId: string) => `inputs#${relationshipId}`;

/**
 * A page of due health timers: their relationships in one batched read, and their inputs marks in
 * another, which each handler takes with the last evaluation instead of reading its own (the mark
 * is read before the partition, as an evaluation that stores it must). The last evaluation of a
 * timer it carries came with the page (`carriers`); of a timer item, it is read with the marks.
 * Then the partitions of those whose inputs changed since their last evaluation (every one, at a
 * relationship's first), read together (`store.health.evaluationInputsOfMany`) rather than in a
 * query per evaluation.
 * A relationship that ends after this read is caught as if it ended after the handler's own read:
 * by the evaluation's transaction, or (for one that raises no event) not at all, which stores what
 * an evaluation just before the end would have.
 */
export function readHealthTimersAhead(
  ctx: ScheduledContext,
  timers: Timer[],
  carriers: ReadonlyMap<Timer, Record<string, unknown>>,
): void {
  const ids = timers.map((timer) => timer.subjectId);
  const stored = new Map(
    timers.flatMap((timer) => {
      const carrier = carriers.get(timer);
      return carrier ? [[timer.subjectId, carrier] as const] : [];
    }),
  );
  ctx.pass.ahead(ids.map(aheadKey), async () => {
    const found = await ctx.store.relationships.getMany(ids);
    return new Map([...found].map(([id, relationship]) => [aheadKey(id), relationship]));
  });
  const states = ctx.store.health.evaluationStates(ids, stored);
  ctx.pass.ahead(ids.map(stateKey), async () => {
    const found = await states;
    return new Map([...found].map(([id, state]) => [stateKey(id), state]));
  });
  ctx.pass.ahead(ids.map(inputsKey), async () => {
    const found = await states;
    const changed = ids.filter((id) => !unchangedSince(found.get(id)));
    const partitions = await ctx.store.health.evaluationInputsOfMany(changed);
    return new Map([...partitions].map(([id, inputs]) => [inputsKey(id), inputs]));
  });
}

/**
 * The `relationship.health` timer fell due: evaluates the relationship (score, history, at-risk
 * and overdue events) and moves the timer a day on, in the evaluation's write, which carries it
 * (see `evaluateHealth`); a relationship that ended (or is gone) has its timer removed instead.
 */
export async function evaluateHealthTimer(
  ctx: ScheduledContext,
  timer: Timer,
  writes?: GatheredWriter,
): Promise<void> {
  const readAlone = () =>
    ctx.store.relationships.get(timer.subjectId).catch((error) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
  const ahead = ctx.pass.take<Relationship>(aheadKey(timer.subjectId));
  const relationship = await (ahead ? ahead.catch(readAlone) : readAlone());
  // Without them (a failed read), the evaluation reads the partition.
  const state = await ctx.pass.take<HealthEvaluationState>(stateKey(timer.subjectId))?.catch(() => undefined);
  const inputs = await ctx.pass
    .take<HealthEvaluationInputs>(inputsKey(timer.subjectId))
    ?.catch(() => undefined);
  if (relationship?.status === 'active' || relationship?.status === 'pending_agreement') {
    try {
      await evaluateHealth(
        ctx,
        relationship.id,
        { timer, nextDueAt: nextDue(timer, ctx.clock()).toISOString(), writes },
        { relationship, state, inputs },
      );
      return;
    } catch (error) {
      // Anything but "it ended meanwhile" (the evaluation's ongoing check) is for the job to report.
      if (!(error instanceof ConflictError) || error instanceof TimerAlreadyHandledError) throw error;
    }
  }
  // Its write is a transaction of its own: the page's gathered writes need not wait for it.
  writes?.done();
  await ctx.store.timers.complete(timer);
}

/**
 * A page's due health timers handled together: their evaluations run at once (what they read
 * came with the page, see `readHealthTimersAhead`), and their writes go out together in a few
 * transactions instead of one request each (`store.health.gatherWrites`). The outcome per timer,
 * in order.
 */
export async function evaluateHealthTimers(
  ctx: ScheduledContext,
  timers: Timer[],
): Promise<PromiseSettledResult<void>[]> {
  const gathering = await ctx.store.health.gatherWrites(timers.length);
  return Promise.allSettled(
    timers.map(async (timer) => {
      const writes = gathering.member();
      try {
        await evaluateHealthTimer(ctx, timer, writes);
      } finally {
        writes.done();
      }
    }),
  );
}
