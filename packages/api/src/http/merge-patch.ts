import { applyMergePatch } from '@tandem/core';
import type { Context } from 'hono';
import type { z } from 'zod';
import { type AppEnv, nowOf } from '../env.ts';
import { assertIfMatch, etagOf, readModifyWrite } from './etag.ts';

export interface MergePatchUpdate<T extends { version: number }> {
  load: () => Promise<T>;
  /** The full entity schema: the merged result is validated as a whole. */
  schema: z.ZodType<T>;
  /** Fields the route adds to the client's patch (e.g. clearing a reason when re-enabling). */
  implied?: (current: T) => Record<string, unknown>;
  /** Rules that need the merged result (references, role fit). */
  check?: (updated: T) => Promise<void> | void;
  save: (current: T, updated: T, removed: string[]) => Promise<void>;
}

/**
 * The one update flow of every PATCH route: read, check If-Match, apply the JSON Merge Patch,
 * validate, write conditionally on the version read, set the new ETag.
 */
export async function mergePatchUpdate<T extends { version: number }>(
  c: Context<AppEnv>,
  patch: Record<string, unknown>,
  update: MergePatchUpdate<T>,
): Promise<T> {
  const next = await readModifyWrite(c, async () => {
    const current = await update.load();
    assertIfMatch(c, current);
    const changes = { ...patch, ...update.implied?.(current) };
    const updated = applyMergePatch(
      current,
      { ...changes, updatedAt: nowOf(c).toISOString(), version: current.version + 1 },
      update.schema,
    );
    await update.check?.(updated);
    const removed = Object.entries(changes)
      .filter(([, value]) => value === null)
      .map(([field]) => field);
    await update.save(current, updated, removed);
    return updated;
  });
  c.header('etag', etagOf(next.version));
  return next;
}
