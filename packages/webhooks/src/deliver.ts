import { type Delivery, type DeliveryAttempt, domainEvent, NotFoundError } from '@tandem/core';
import type { EndpointWithSecrets, StoredDelivery } from '@tandem/store';
import type { DeliveryPolicy } from './policy.ts';
import { postToTarget } from './post.ts';
import { type DeliveryJob, type DeliveryQueue, isRecoveryJob, type QueueJob } from './queue.ts';
import { continueRecovery, type RecoveryResult } from './recover.ts';
import type { WebhookStores } from './relay.ts';
import { isSuccess, nextAttemptDelay, parseRetryAfter } from './schedule.ts';
import { signedHeaders } from './signing.ts';
import { checkTarget, UnsafeUrlError } from './ssrf.ts';

/**
 * How an attempt ended: `failed` after the last retry of the schedule, `endpoint_disabled` when
 * the endpoint was (or by this attempt became) disabled or deleted, so the delivery ends failed.
 */
export type DeliveryOutcome = 'delivered' | 'retry_scheduled' | 'failed' | 'endpoint_disabled';

export interface DeliveryDeps {
  storesFor: (tenantId: string) => WebhookStores | Promise<WebhookStores>;
  queue: DeliveryQueue;
  policy: DeliveryPolicy;
  now?: () => Date;
  random?: () => number;
  /** Told of every attempt's outcome once it is recorded: the host's logs and metrics. */
  onOutcome?: (outcome: DeliveryOutcome, delivery: Delivery) => void;
}

export type JobResult = 'early' | 'stale' | 'requeued' | Delivery;

/** How long a job that ran ahead of its delivery's bookkeeping waits before trying again. */
const BOOKKEEPING_WAIT_MS = 1000;
/** The delivery log keeps this much of each response body. */
const LOGGED_BODY_CHARS = 1024;

/**
 * Runs one queued job: a page of a recovery, or a delivery attempt. An attempt claims the
 * delivery, POSTs the signed envelope, records the attempt and schedules what follows (the next retry, or nothing). The next job is queued before the
 * attempt is recorded, so a crash in between leaves a retry rather than a stranded delivery.
 */
export async function processJob(job: QueueJob, deps: DeliveryDeps): Promise<JobResult | RecoveryResult> {
  if (isRecoveryJob(job)) return continueRecovery(job, deps);
  return processDeliveryJob(job, deps);
}

async function processDeliveryJob(job: DeliveryJob, deps: DeliveryDeps): Promise<JobResult> {
  const now = deps.now?.() ?? new Date();
  if (Date.parse(job.dueAt) > now.getTime()) {
    await deps.queue.enqueue(job);
    return 'early';
  }
  const stores = await deps.storesFor(job.tenantId);
  const claimed = await stores.deliveries.claim(
    job.endpointId,
    job.deliveryId,
    job.attempt,
    now,
    deps.policy.leaseMs,
  );
  if (!claimed) return requeueIfAhead(job, stores, deps, now);
  const { outcome, delivery } = await attemptDelivery(claimed, stores, deps, now);
  deps.onOutcome?.(outcome, delivery);
  return delivery;
}

/**
 * Attempts a delivery its caller created already claimed (see RelayDeps.attemptNew): the
 * attempt of processJob, without the claim.
 */
export async function attemptClaimed(claimed: StoredDelivery, deps: DeliveryDeps): Promise<Delivery> {
  const stores = await deps.storesFor(claimed.payload.tenantId);
  const { outcome, delivery } = await attemptDelivery(claimed, stores, deps, deps.now?.() ?? new Date());
  deps.onOutcome?.(outcome, delivery);
  return delivery;
}

interface Ended {
  outcome: DeliveryOutcome;
  delivery: Delivery;
}

async function attemptDelivery(
  claimed: StoredDelivery,
  stores: WebhookStores,
  deps: DeliveryDeps,
  now: Date,
): Promise<Ended> {
  let target: EndpointWithSecrets;
  try {
    target = await stores.webhookEndpoints.getWithSecrets(claimed.delivery.endpointId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return ended(
      'endpoint_disabled',
      stores.deliveries.recordAttempt(claimed, failedAttempt(now, 'the endpoint was deleted'), {
        status: 'failed',
      }),
    );
  }
  if (!target.endpoint.enabled)
    return ended(
      'endpoint_disabled',
      stores.deliveries.recordAttempt(claimed, failedAttempt(now, 'the endpoint is disabled'), {
        status: 'failed',
      }),
    );

  const attempt = await attemptOnce(claimed, target, deps, now);
  if (attempt.statusCode !== undefined && isSuccess(attempt)) {
    // Read with the endpoint just now: an endpoint that was not failing has nothing to clear.
    if (target.endpoint.failingSince) await stores.webhookEndpoints.clearFailing(target.endpoint.id);
    return ended('delivered', stores.deliveries.recordAttempt(claimed, attempt, { status: 'succeeded' }));
  }
  return afterFailure(claimed, target, attempt, stores, deps, now);
}

const ended = async (outcome: DeliveryOutcome, recorded: Promise<Delivery>): Promise<Ended> => ({
  outcome,
  delivery: await recorded,
});

async function attemptOnce(
  claimed: StoredDelivery,
  target: EndpointWithSecrets,
  deps: DeliveryDeps,
  now: Date,
): Promise<DeliveryAttempt & { retryAfter?: string | undefined }> {
  try {
    const checked = await checkTarget(target.endpoint.url, {
      allowInsecure: deps.policy.allowInsecureUrls,
      resolve: deps.policy.resolveHost,
    });
    const body = JSON.stringify(claimed.payload);
    const headers = signedHeaders(target.secrets, claimed.payload.id, now, body, now);
    const result = await postToTarget(checked, headers, body, {
      timeoutMs: deps.policy.timeoutMs,
      maxBytes: deps.policy.maxResponseBytes,
    });
    const redirected = result.statusCode !== undefined && result.statusCode >= 300 && result.statusCode < 400;
    return {
      at: now.toISOString(),
      durationMs: result.durationMs,
      ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
      ...(result.body ? { responseBody: result.body.slice(0, LOGGED_BODY_CHARS) } : {}),
      ...(result.error ? { error: result.error } : redirected ? { error: 'redirects are not followed' } : {}),
      retryAfter: result.retryAfter,
    };
  } catch (error) {
    if (error instanceof UnsafeUrlError) return failedAttempt(now, error.message);
    throw error;
  }
}

async function afterFailure(
  claimed: StoredDelivery,
  target: EndpointWithSecrets,
  attempt: DeliveryAttempt & { retryAfter?: string | undefined },
  stores: WebhookStores,
  deps: DeliveryDeps,
  now: Date,
): Promise<Ended> {
  const { retryAfter, ...logged } = attempt;
  const endpoint = target.endpoint;
  const failingFor = endpoint.failingSince ? now.getTime() - Date.parse(endpoint.failingSince) : 0;
  const disableReason =
    attempt.statusCode === 410
      ? 'The endpoint answered 410 Gone'
      : failingFor >= deps.policy.disableAfterMs
        ? `Every attempt failed for ${Math.round(failingFor / 3_600_000)} hours`
        : undefined;
  if (disableReason) {
    await stores.webhookEndpoints.disable(
      endpoint.id,
      disableReason,
      now.toISOString(),
      domainEvent('endpoint.disabled', { endpointId: endpoint.id, url: endpoint.url, reason: disableReason }),
    );
    return ended('endpoint_disabled', stores.deliveries.recordAttempt(claimed, logged, { status: 'failed' }));
  }
  await stores.webhookEndpoints.markFailing(endpoint.id, now.toISOString());

  const delay = nextAttemptDelay(
    deps.policy,
    claimed.cycleAttempts + 1,
    { statusCode: attempt.statusCode, retryAfterMs: parseRetryAfter(retryAfter, now) },
    deps.random,
  );
  if (delay === undefined)
    return ended('failed', stores.deliveries.recordAttempt(claimed, logged, { status: 'failed' }));
  const nextAttemptAt = new Date(now.getTime() + delay).toISOString();
  await deps.queue.enqueue({
    tenantId: claimed.payload.tenantId,
    endpointId: endpoint.id,
    deliveryId: claimed.delivery.id,
    attempt: claimed.delivery.attemptCount + 1,
    dueAt: nextAttemptAt,
  });
  return ended(
    'retry_scheduled',
    stores.deliveries.recordAttempt(claimed, logged, { status: 'pending', nextAttemptAt }),
  );
}

/**
 * A job the claim refused is either stale (the delivery moved past it) or ran ahead of the
 * previous attempt's bookkeeping, which is written just after its job was queued.
 */
async function requeueIfAhead(
  job: DeliveryJob,
  stores: WebhookStores,
  deps: DeliveryDeps,
  now: Date,
): Promise<JobResult> {
  const current = await stores.deliveries.get(job.endpointId, job.deliveryId).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (current?.status !== 'pending' || current.attemptCount > job.attempt) return 'stale';
  await deps.queue.enqueue({ ...job, dueAt: new Date(now.getTime() + BOOKKEEPING_WAIT_MS).toISOString() });
  return 'requeued';
}

const failedAttempt = (now: Date, error: string): DeliveryAttempt => ({
  at: now.toISOString(),
  durationMs: 0,
  error,
});
