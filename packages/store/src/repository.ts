import { type EventDraft, stampEvent } from '@tandem/core';
import { auditOpFor } from './audit.ts';
import type { CursorCodec } from './cursor.ts';
import type { Db } from './db.ts';
import { type WriteOp, writeAtomically } from './transact.ts';

/** The time source of a store: the system clock in production, an injected one in tests. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * What every repository of one tenant shares: the table, the tenant whose partitions it reaches,
 * the cursor codec and the clock. Writes go through `write`, which stamps the use case's event
 * draft with this tenant and this clock, so events and entities never disagree on either, and
 * adds the audit entry of the write to the same transaction when an audit context is set.
 */
export abstract class TenantRepository {
  constructor(
    protected readonly db: Db,
    protected readonly tenantId: string,
    protected readonly cursors: CursorCodec,
    protected readonly clock: Clock = systemClock,
  ) {}

  protected async write(ops: WriteOp[], events?: EventDraft | EventDraft[]): Promise<void> {
    const now = this.clock();
    const stamped = events === undefined ? [] : [events].flat().map((e) => stampEvent(e, this.tenantId, now));
    const audit = await auditOpFor(this.db, this.tenantId, ops, stamped, now);
    return writeAtomically(this.db, audit ? [...ops, audit] : ops, stamped);
  }
}
