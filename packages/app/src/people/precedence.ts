import {
  type FieldSource,
  mayWriteSynced,
  PeopleSourceConflict,
  PreconditionFailedError,
  type SyncedPersonField,
} from '@tandem/core';
import type { WriteOp } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** Raised by the guard's condition; turned into a refusal that names the source once read. */
class GuardFailed extends Error {}

/**
 * Runs a write of a person's synced fields with the people-source guard in its transaction, so a
 * write from a source that is not the organization's source of truth leaves nothing behind. A
 * write that changes no synced field needs no guard (admins keep editing skills, goals, …).
 * Refused: a PeopleSourceConflict naming the source and the fields.
 */
export async function guardedWrite<T>(
  ctx: TenantContext,
  writer: FieldSource,
  fields: readonly SyncedPersonField[],
  write: (guard: WriteOp[]) => Promise<T>,
): Promise<T> {
  if (fields.length === 0) return write([]);
  const guard = await ctx.store.peopleSource.guardOp(writer, () => new GuardFailed());
  try {
    return await write([guard]);
  } catch (error) {
    if (!(error instanceof GuardFailed)) throw error;
    const { source } = await ctx.store.peopleSource.get();
    // The source changed back between the write and this read: the caller retries on fresh state.
    if (mayWriteSynced(source, writer))
      throw new PreconditionFailedError('The people source changed during this write');
    throw new PeopleSourceConflict(source, writer, fields);
  }
}
