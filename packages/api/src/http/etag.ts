import { PreconditionFailedError } from '@tandem/core';
import type { Context } from 'hono';

export const etagOf = (version: number) => `"${version}"`;

/**
 * The version named by If-Match, or undefined when the client sent none (or `*`).
 * A value that is not one of our ETags can never match, so it fails as a precondition.
 */
export function ifMatchVersion(c: Context): number | undefined {
  const header = c.req.header('if-match')?.trim();
  if (!header || header === '*') return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header);
  if (!match) throw new PreconditionFailedError(`If-Match ${header} is not an ETag of this resource`);
  return Number(match[1]);
}

/** Checks If-Match against what was read; the conditional write then guards the race. */
export function assertIfMatch(c: Context, current: { version: number }) {
  const expected = ifMatchVersion(c);
  if (expected !== undefined && expected !== current.version)
    throw new PreconditionFailedError(`The resource is at version ${current.version}, not ${expected}`);
}

/**
 * Read-modify-write. With If-Match the client owns the race (412 on a lost update); without
 * it, a concurrent change is retried on the fresh state, as a client would expect.
 */
export async function readModifyWrite<T>(c: Context, attempt: () => Promise<T>): Promise<T> {
  const retries = c.req.header('if-match') ? 0 : 3;
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || i >= retries) throw error;
    }
  }
}
