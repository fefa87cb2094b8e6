import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type EventDraft, type Timer, TimerAlreadyHandledError } from '@tandem/core';
import { toEntity } from './db.ts';
import { gsi1, keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** A page of due timers and where the next page starts. */
export interface DueTimers {
  timers: Timer[];
  /**
   * The item that carries each carried timer of the page, whole, as the index returned it, for its
   * repository to read (the index is eventually consistent in AWS: it may be a moment stale).
   */
  carriers: Map<Timer, Record<string, unknown>>;
  next: Record<string, unknown> | undefined;
}

/** Where a timer sits in the tenant's index of timers by due instant (GSI1). */
export const timerIndexKeys = (tenantId: string, timer: Pick<Timer, 'kind' | 'subjectId' | 'dueAt'>) => ({
  GSI1PK: gsi1.timersByDue(tenantId),
  GSI1SK: `${timer.dueAt}#${timer.kind}#${timer.subjectId}`,
});

/**
 * Items that carry a timer of their subject instead of a timer item (`Timer.carried`), by entity:
 * the timer's kind, and where the item's subject id is. Their writers set `dueAt` and the index keys.
 */
const carriers = {
  health: { kind: 'relationship.health', subject: 'relationshipId', key: keys.health },
} as const satisfies Record<string, { kind: Timer['kind']; subject: string; key: unknown }>;

const carrierOf = (timer: Timer) => Object.values(carriers).find((carrier) => carrier.kind === timer.kind)!;

function timerOf(item: Record<string, unknown>): Timer {
  const carrier = carriers[item.entity as keyof typeof carriers];
  if (!carrier) return toEntity<Timer>(item);
  return {
    kind: carrier.kind,
    subjectId: item[carrier.subject] as string,
    dueAt: item.dueAt as string,
    carried: true,
  };
}

/**
 * The tenant's timers. Use cases add `setOp` to the transaction that makes work due, and the
 * handler of a due timer commits its effects with `clearOp` (or `setOp` of the next occurrence),
 * so the work and the timer's removal happen together or not at all. A carried timer
 * (`Timer.carried`) moves with its carrier's write instead; `clearOp` removes it from its carrier.
 */
export class TimersRepository extends TenantRepository {
  /** Sets (or moves) the timer of its kind and subject. */
  setOp(timer: Timer): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.timer(this.tenantId, timer.kind, timer.subjectId),
            ...timerIndexKeys(this.tenantId, timer),
            entity: 'timer',
            ...timer,
          },
        },
      },
    };
  }

  /** Removes the timer as it was read; if it moved or went meanwhile, the transaction fails. */
  clearOp(timer: Timer): WriteOp {
    const condition = {
      ConditionExpression: 'dueAt = :dueAt',
      ExpressionAttributeValues: { ':dueAt': timer.dueAt },
    };
    return {
      item: timer.carried
        ? {
            Update: {
              TableName: '',
              Key: carrierOf(timer).key(this.tenantId, timer.subjectId),
              UpdateExpression: 'REMOVE dueAt, GSI1PK, GSI1SK',
              ...condition,
            },
          }
        : {
            Delete: {
              TableName: '',
              Key: keys.timer(this.tenantId, timer.kind, timer.subjectId),
              ...condition,
            },
          },
      onConditionFailed: () =>
        new TimerAlreadyHandledError(`Timer ${timer.kind} of ${timer.subjectId} was handled or moved`),
    };
  }

  /**
   * Replaces the timer as it was read by the next occurrence (recurring work); fails like
   * clearOp when another run got there first. Not for a carried timer, which its carrier's write moves.
   */
  rescheduleOp(timer: Timer, next: Timer): WriteOp {
    const put = this.setOp(next).item.Put!;
    return {
      item: {
        Put: {
          ...put,
          ConditionExpression: 'dueAt = :dueAt',
          ExpressionAttributeValues: { ':dueAt': timer.dueAt },
        },
      },
      onConditionFailed: () =>
        new TimerAlreadyHandledError(`Timer ${timer.kind} of ${timer.subjectId} was handled or moved`),
    };
  }

  /** Ends a due timer with its effects: `ops` and `events` commit together with the timer's removal. */
  async complete(timer: Timer, ops: WriteOp[] = [], events?: EventDraft | EventDraft[]): Promise<void> {
    await this.write([this.clearOp(timer), ...ops], events);
  }

  /**
   * Timers due at `now` or earlier, oldest first, a page at a time. The index holds carriers whole
   * (a relationship's health evaluation item, the last evaluation or the placeholder before the
   * first, that carries its timer), and the query returns them so: their handlers need them, and
   * would otherwise read them again.
   */
  async due(now: Date, limit: number, start?: Record<string, unknown>): Promise<DueTimers> {
    const result = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :bound',
        ExpressionAttributeValues: {
          ':pk': gsi1.timersByDue(this.tenantId),
          // '$' sorts right after '#', so every `<dueAt>#…` with dueAt ≤ now is below the bound.
          ':bound': `${now.toISOString()}$`,
        },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const carriedBy = new Map<Timer, Record<string, unknown>>();
    const timers = (result.Items ?? []).map((item) => {
      const timer = timerOf(item);
      if (timer.carried) carriedBy.set(timer, item);
      return timer;
    });
    return { timers, carriers: carriedBy, next: result.LastEvaluatedKey };
  }
}
