import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '@tandem/core';
import type { Db } from './db.ts';
import { type Key, keys } from './keys.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One write in a transaction, with the domain error to raise if its condition fails.
 * Ops leave `TableName` empty: writeAtomically fills in the table the Db is bound to.
 */
export interface WriteOp {
  item: TransactItem;
  onConditionFailed?: () => Error;
}

/** How long outbox events stay readable (`GET /v1/events` catch-up window) before TTL removes them. */
export const EVENT_RETENTION_DAYS = 30;

const MAX_CONFLICT_RETRIES = 5;

/**
 * What callers that pack many changes into transactions may use of TransactWriteItems' 100 items:
 * one is kept for the audit entry that `TenantRepository.write` adds under an audit context.
 */
export const MAX_TRANSACTION_ITEMS = 99;

/**
 * Writes the ops and the domain events in one TransactWriteItems call: the outbox event exists
 * exactly when the state change does. A cancelled transaction is translated into the domain
 * error of the op whose condition failed; a TransactionConflict (another transaction touching
 * the same item right now) is retried, so the loser then sees the real condition outcome.
 */
export async function writeAtomically(
  db: Db,
  ops: WriteOp[],
  events?: DomainEvent | DomainEvent[],
): Promise<void> {
  const items = transactItems(db, ops, events);
  for (let attempt = 0; ; attempt++) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const mapped = ops[failed]?.onConditionFailed?.();
        if (mapped) throw mapped;
        throw error;
      }
      if (!retriesConflict(error, attempt)) throw error;
      await conflictBackoff(attempt);
    }
  }
}

/** The items of a transaction that writes the ops and the events' outbox items, in that order. */
export function transactItems(db: Db, ops: WriteOp[], events?: DomainEvent | DomainEvent[]): TransactItem[] {
  const items = ops.map((op) => withTable(op.item, db.tableName));
  for (const event of events === undefined ? [] : [events].flat())
    items.push({
      Put: {
        TableName: db.tableName,
        Item: outboxItem(event),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  return items;
}

/** Whether a transaction cancelled by a conflict with another (no condition failed) is sent again. */
export const retriesConflict = (error: TransactionCanceledException, attempt: number) =>
  (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
  attempt < MAX_CONFLICT_RETRIES;

export const conflictBackoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * Math.random()));

/**
 * Why a transaction was cancelled, one code per item (`TransactionConflict`, `ConditionalCheckFailed`,
 * `None`), for logs: the exception's message need not name them.
 */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

function withTable(item: TransactItem, tableName: string): TransactItem {
  if (item.Put) return { Put: { ...item.Put, TableName: tableName } };
  if (item.Update) return { Update: { ...item.Update, TableName: tableName } };
  if (item.Delete) return { Delete: { ...item.Delete, TableName: tableName } };
  if (item.ConditionCheck) return { ConditionCheck: { ...item.ConditionCheck, TableName: tableName } };
  return item;
}

export function outboxItem(event: DomainEvent) {
  return {
    ...keys.event(event.tenantId, event.id),
    entity: 'event',
    ...event,
    expiresAt: Math.floor(Date.parse(event.occurredAt) / 1000) + EVENT_RETENTION_DAYS * 86_400,
  };
}

/**
 * Builds an Update that replaces an entity's fields with `next`, removes cleared ones and
 * bumps `version`, conditional on the version the caller read. Only named fields are touched,
 * so counters maintained by other transactions (e.g. a program's activeEnrollments) survive.
 */
export function versionedUpdate(
  key: Key,
  next: Record<string, unknown>,
  options: { expectedVersion: number; removed?: string[]; extra?: Record<string, unknown>; skip?: string[] },
): TransactItem {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': options.expectedVersion, ':one': 1 };
  const sets: string[] = ['#version = #version + :one'];
  const skip = new Set(['id', 'version', 'createdAt', ...(options.skip ?? [])]);
  let i = 0;
  for (const [field, value] of Object.entries({ ...next, ...options.extra })) {
    if (skip.has(field) || value === undefined) continue;
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
    i++;
  }
  const removes = (options.removed ?? []).filter((field) => !skip.has(field));
  removes.forEach((field, j) => {
    names[`#r${j}`] = field;
  });
  return {
    Update: {
      TableName: '',
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.map((_, j) => `#r${j}`).join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * The condition of a write that creates an item (`expected` undefined: it must not exist yet) or
 * replaces or deletes the version the caller read.
 */
export function versionCondition(expected: number | undefined) {
  return expected === undefined
    ? { ConditionExpression: 'attribute_not_exists(PK)' }
    : {
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expected },
      };
}
