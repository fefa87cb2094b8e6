import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type EventDraft, stampEvent } from '@tandem/core';
import { auditOpFor, currentAudit } from './audit.ts';
import type { Cursors } from './cursor.ts';
import type { Db } from './db.ts';
import type { GatheredWriter } from './gathered-writes.ts';
import { noSecrets, type SecretSealer } from './secret-sealer.ts';
import { type WriteOp, writeAtomically } from './transact.ts';

/** The time source of a store: the system clock in production, an injected one in tests. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * What `writeOne`'s audited path throws when the condition fails, told apart by identity and never
 * thrown further: one instance, as every error built captures a stack, and most writes succeed.
 */
const refused = new Error('condition failed');

/**
 * What every repository of one tenant shares: the table, the tenant whose partitions it reaches,
 * the cursor codec, the clock and the sealer of the secrets it stores (one that refuses, unless
 * the process keeps secrets). Writes go through `write`, which stamps the use case's event
 * draft with this tenant and this clock, so events and entities never disagree on either, and
 * adds the audit entry of the write to the same transaction when an audit context is set.
 */
export abstract class TenantRepository {
  constructor(
    protected readonly db: Db,
    protected readonly tenantId: string,
    protected readonly cursors: Cursors,
    protected readonly clock: Clock = systemClock,
    protected readonly sealer: SecretSealer = noSecrets,
  ) {}

  /** `via`: the write goes with the others of a gathering (see `WriteGathering`), still all or nothing. */
  protected async write(
    ops: WriteOp[],
    events?: EventDraft | EventDraft[],
    via?: GatheredWriter,
  ): Promise<void> {
    const now = this.clock();
    const stamped = events === undefined ? [] : [events].flat().map((e) => stampEvent(e, this.tenantId, now));
    const audit = await auditOpFor(this.db, this.tenantId, ops, stamped, now);
    const all = audit ? [...ops, audit] : ops;
    return via ? via.write(all, stamped) : writeAtomically(this.db, all, stamped);
  }

  /**
   * One conditional Put, Update or Delete that system paths send on its own (half the cost of a
   * transaction, on the relay's hot path). When a request makes it, it goes through `write`
   * instead, so that the request's audit entry commits with it. False when the condition failed.
   */
  protected async writeOne(item: WriteOp['item']): Promise<boolean> {
    try {
      if (currentAudit()) await this.write([{ item, onConditionFailed: () => refused }]);
      else if (item.Put)
        await this.db.doc.send(new PutCommand({ ...item.Put, TableName: this.db.tableName }));
      else if (item.Update)
        await this.db.doc.send(new UpdateCommand({ ...item.Update, TableName: this.db.tableName }));
      else if (item.Delete)
        await this.db.doc.send(new DeleteCommand({ ...item.Delete, TableName: this.db.tableName }));
      else throw new Error('writeOne sends a Put, an Update or a Delete');
      return true;
    } catch (error) {
      if (error === refused || error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** `writeOne` of an op, throwing the op's error (or a plain one) when its condition fails. */
  protected async writeSingle(op: WriteOp): Promise<void> {
    if (await this.writeOne(op.item)) return;
    throw op.onConditionFailed?.() ?? new Error('The condition of a single write failed');
  }
}
