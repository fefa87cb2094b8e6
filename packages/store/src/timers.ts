import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type EventDraft, type Timer, TimerAlreadyHandledError } from '@tandem/core';
import { toEntity } from './db.ts';
import { gsi1, keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** A page of due timers and where the next page starts. */
export interface DueTimers {
  timers: Timer[];
  next: Record<string, unknown> | undefined;
}

/**
 * The tenant's timers. Use cases add `setOp` to the transaction that makes work due, and the
 * handler of a due timer commits its effects with `clearOp` (or `setOp` of the next occurrence),
 * so the work and the timer's removal happen together or not at all.
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
            GSI1PK: gsi1.timersByDue(this.tenantId),
            GSI1SK: `${timer.dueAt}#${timer.kind}#${timer.subjectId}`,
            entity: 'timer',
            ...timer,
          },
        },
      },
    };
  }

  /** Removes the timer as it was read; if it moved or went meanwhile, the transaction fails. */
  clearOp(timer: Timer): WriteOp {
    return {
      item: {
        Delete: {
          TableName: '',
          Key: keys.timer(this.tenantId, timer.kind, timer.subjectId),
          ConditionExpression: 'dueAt = :dueAt',
          ExpressionAttributeValues: { ':dueAt': timer.dueAt },
        },
      },
      onConditionFailed: () =>
        new TimerAlreadyHandledError(`Timer ${timer.kind} of ${timer.subjectId} was handled or moved`),
    };
  }

  /**
   * Replaces the timer as it was read by the next occurrence (recurring work); fails like
   * clearOp when another run got there first.
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

  /** Timers due at `now` or earlier, oldest first, a page at a time. */
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
    return {
      timers: (result.Items ?? []).map((item) => toEntity<Timer>(item)),
      next: result.LastEvaluatedKey,
    };
  }
}
