import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '@tandem/core';
import type { Db } from './db.ts';
import { keyId } from './keys.ts';
import {
  conflictBackoff,
  MAX_TRANSACTION_ITEMS,
  retriesConflict,
  type TransactItem,
  transactItems,
  type WriteOp,
} from './transact.ts';

/** One member's share of a `WriteGathering`: it writes once through it, or says it will not. */
export interface GatheredWriter {
  /**
   * Writes the ops and the events' outbox items as one group: all of them or none, as
   * `writeAtomically` would, and fails like it with the error of the op whose condition failed.
   */
  write(ops: WriteOp[], events: DomainEvent[]): Promise<void>;
  /** The member will not write through the gathering (it finished or failed without, or wrote). */
  done(): void;
}

interface Group {
  ops: WriteOp[];
  items: TransactItem[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The writes of units of work that run at once (the evaluations of a page of the scheduled job's
 * due timers), each a group of conditional ops with its events, sent together in transactions of
 * up to `MAX_TRANSACTION_ITEMS` items. A request costs the SDK in Node and DynamoDB (Local, where
 * the job's pass is measured) mostly per request, so a hundred single conditional writes cost
 * several times what one transaction of them does. Each group stays all or nothing and keeps its
 * conditions: a group whose condition fails is refused with its op's error and the rest of its
 * transaction is sent again without it, so one lost race costs the others a resend, not their
 * write. A transaction is sent once it is full, or before a group that touches an item a waiting
 * group touches (DynamoDB refuses a whole transaction with two operations on one item, so such
 * groups go in separate transactions and meet as any two writers of an item do: by their
 * conditions, or a retried conflict), and the last one once every member has written or said it
 * will not (`members`, as many as the work units that share it).
 */
export class WriteGathering {
  readonly #db: Db;
  #open: number;
  #waiting: Group[] = [];
  #waitingItems = 0;
  #waitingKeys = new Set<string>();

  constructor(db: Db, members: number) {
    this.#db = db;
    this.#open = members;
  }

  /** A member's writer; every member takes one, and says `done` when it will write no more. */
  member(): GatheredWriter {
    let open = true;
    const close = () => {
      if (!open) return false;
      open = false;
      this.#open--;
      return true;
    };
    return {
      write: (ops, events) => {
        if (!close()) return Promise.reject(new Error('A member writes through its gathering once'));
        const written = new Promise<void>((resolve, reject) => {
          const items = transactItems(this.#db, ops, events);
          const keys = items.map(itemKey);
          const full = this.#waitingItems + items.length > MAX_TRANSACTION_ITEMS;
          if (full || keys.some((key) => this.#waitingKeys.has(key))) this.#send();
          this.#waiting.push({ ops, items, resolve, reject });
          this.#waitingItems += items.length;
          for (const key of keys) this.#waitingKeys.add(key);
        });
        if (this.#open === 0) this.#send();
        return written;
      },
      done: () => {
        if (close() && this.#open === 0) this.#send();
      },
    };
  }

  #send(): void {
    const groups = this.#waiting;
    this.#waiting = [];
    this.#waitingItems = 0;
    this.#waitingKeys = new Set();
    if (groups.length) void this.#transact(groups);
  }

  async #transact(groups: Group[]): Promise<void> {
    for (let attempt = 0; groups.length; ) {
      try {
        await this.#db.doc.send(new TransactWriteCommand({ TransactItems: groups.flatMap((g) => g.items) }));
        for (const group of groups) group.resolve();
        return;
      } catch (error) {
        const refused = error instanceof TransactionCanceledException ? refusedGroups(groups, error) : [];
        if (refused.length) {
          groups = groups.filter((group) => !refused.includes(group));
          continue;
        }
        if (error instanceof TransactionCanceledException && retriesConflict(error, attempt)) {
          await conflictBackoff(attempt++);
          continue;
        }
        for (const group of groups) group.reject(error);
        return;
      }
    }
  }
}

/** The table key an item of a transaction writes or checks, as one string. */
const itemKey = (item: TransactItem): string =>
  keyId(item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key ?? {});

/** Rejects, with its op's error, each group with an item whose condition failed; returns them. */
function refusedGroups(groups: Group[], error: TransactionCanceledException): Group[] {
  const reasons = error.CancellationReasons ?? [];
  const refused: Group[] = [];
  let offset = 0;
  for (const group of groups) {
    const failed = group.items.findIndex((_, i) => reasons[offset + i]?.Code === 'ConditionalCheckFailed');
    offset += group.items.length;
    if (failed < 0) continue;
    group.reject(group.ops[failed]?.onConditionFailed?.() ?? error);
    refused.push(group);
  }
  return refused;
}
