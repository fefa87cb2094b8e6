import { applyMergePatch, PreconditionFailedError } from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from './context.ts';

/**
 * The version the caller last saw (HTTP If-Match). With it the caller owns the race: a newer
 * version is a 412. Without it, a write is retried on the fresh state.
 */
export interface Precondition {
  expectedVersion?: number | undefined;
}

export function assertVersion(current: { version: number }, { expectedVersion }: Precondition) {
  if (expectedVersion !== undefined && expectedVersion !== current.version)
    throw new PreconditionFailedError(
      `The resource is at version ${current.version}, not ${expectedVersion}`,
    );
}

const MAX_RETRIES = 3;

/**
 * Read-modify-write: `attempt` reads, checks and writes conditionally on the version it read.
 * With an expected version a lost race is the caller's 412; without one it is retried.
 */
export async function readModifyWrite<T>(precondition: Precondition, attempt: () => Promise<T>): Promise<T> {
  const retries = precondition.expectedVersion === undefined ? MAX_RETRIES : 0;
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || i >= retries) throw error;
    }
  }
}

export interface MergePatchUpdate<T extends { version: number }> {
  load: () => Promise<T>;
  /** The full entity schema: the merged result is validated as a whole. */
  schema: z.ZodType<T>;
  /** Fields the use case adds to the client's patch (e.g. clearing a reason when re-enabling). */
  implied?: (current: T) => Record<string, unknown>;
  /** Rules that need the merged result (references, role fit). */
  check?: (updated: T) => Promise<void> | void;
  save: (current: T, updated: T, removed: string[]) => Promise<void>;
}

/**
 * The one update flow of every merge-patch use case: read, check the precondition, apply the
 * JSON Merge Patch, validate, write conditionally on the version read.
 */
export async function mergePatchUpdate<T extends { version: number }>(
  ctx: Pick<TenantContext, 'clock'>,
  patch: Record<string, unknown>,
  precondition: Precondition,
  update: MergePatchUpdate<T>,
): Promise<T> {
  return readModifyWrite(precondition, async () => {
    const current = await update.load();
    assertVersion(current, precondition);
    const changes = { ...patch, ...update.implied?.(current) };
    const updated = applyMergePatch(
      current,
      { ...changes, updatedAt: ctx.clock().toISOString(), version: current.version + 1 },
      update.schema,
    );
    await update.check?.(updated);
    const removed = Object.entries(changes)
      .filter(([, value]) => value === null)
      .map(([field]) => field);
    await update.save(current, updated, removed);
    return updated;
  });
}
