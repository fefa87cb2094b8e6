import { applyMergePatch, ConflictError, PreconditionFailedError } from '@tandem/core';
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

/**
 * Far above what any real contention needs, and well inside the API function's timeout, so a
 * bug that keeps changing the version cannot hold a request until the gateway cuts it off.
 */
const RETRY_BUDGET_MS = 15_000;
const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 200;

/**
 * Read-modify-write: `attempt` reads, checks and writes conditionally on the version it read.
 * With an expected version the caller owns the race (412 on a lost update). Without one, a lost
 * race is retried on the fresh state until the write lands, so only a rule or a missing resource
 * can refuse it.
 */
export async function readModifyWrite<T>(precondition: Precondition, attempt: () => Promise<T>): Promise<T> {
  if (precondition.expectedVersion !== undefined) return attempt();
  return retryOnFreshState(attempt);
}

/**
 * Runs `attempt` again while it loses a version race, with full-jitter exponential backoff so
 * that parallel writers spread out instead of colliding in lockstep. Past the budget it answers
 * 409 rather than 412: the caller sent no precondition that could have failed.
 */
export async function retryOnFreshState<T>(
  attempt: () => Promise<T>,
  budgetMs = RETRY_BUDGET_MS,
): Promise<T> {
  const deadline = performance.now() + budgetMs;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      if (performance.now() >= deadline)
        throw new ConflictError(
          'The resource kept changing while this write was retried on its latest version; send it again',
        );
      const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** retry);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
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
  check?: (updated: T, current: T) => Promise<void> | void;
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
    await update.check?.(updated, current);
    const removed = Object.entries(changes)
      .filter(([, value]) => value === null)
      .map(([field]) => field);
    await update.save(current, updated, removed);
    return updated;
  });
}
