import type { DeliveryPolicy } from './policy.ts';

export interface AttemptOutcome {
  statusCode?: number | undefined;
  retryAfterMs?: number | undefined;
}

export const isSuccess = (outcome: AttemptOutcome) =>
  outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;

/**
 * When to try again after a failed attempt, or undefined when the cycle is over.
 * `cycleAttempts` counts attempts already made in this cycle, including the one that failed.
 * 429 and 503 may ask for a later time with Retry-After; that wins when it is later.
 */
export function nextAttemptDelay(
  policy: DeliveryPolicy,
  cycleAttempts: number,
  outcome: AttemptOutcome,
  random: () => number = Math.random,
): number | undefined {
  const base = policy.retryDelaysMs[cycleAttempts];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (1 + policy.jitter * (2 * random() - 1)));
  const honoured =
    (outcome.statusCode === 429 || outcome.statusCode === 503) && outcome.retryAfterMs !== undefined
      ? Math.max(jittered, outcome.retryAfterMs)
      : jittered;
  return Math.max(0, honoured);
}

/** Retry-After as seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
