import { ConflictError, PreconditionFailedError } from '@tandem/core';
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
 * Read-modify-write. With If-Match naming a version the client owns the race (412 on a lost
 * update). Without it, a concurrent change is retried on the fresh state until the write
 * lands, so only a rule or a missing resource can refuse it.
 */
export async function readModifyWrite<T>(c: Context, attempt: () => Promise<T>): Promise<T> {
  if (ifMatchVersion(c) !== undefined) return attempt();
  return retryOnFreshState(attempt);
}

/**
 * Far above what any real contention needs, and well inside the API function's timeout, so a
 * bug that keeps changing the version cannot hold a request until the gateway cuts it off.
 */
const RETRY_BUDGET_MS = 15_000;
const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 200;

/**
 * Runs `attempt` again while it loses a version race, with full-jitter exponential backoff so
 * that parallel writers spread out instead of colliding in lockstep. Past the budget it answers
 * 409 rather than 412: the client sent no precondition that could have failed.
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
