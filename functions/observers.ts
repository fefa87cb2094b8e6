import type { AppLogger, MetricsSink } from '@tandem/api';
import type { Delivery } from '@tandem/core';
import type { DeliveryJob, DeliveryOutcome } from '@tandem/webhooks';
import type { MatchingStep, RunState, StepHandler } from '@tandem/workflows';

/** What the functions log and count through; Powertools in Lambda (powertools.ts), a recorder in tests. */
export interface Observers {
  logger: AppLogger & { warn(message: string, ...fields: Record<string, unknown>[]): void };
  metrics: MetricsSink & {
    milliseconds(name: string, value: number, dimensions: Record<string, string>): void;
  };
}

/** One log line and one `WebhookDeliveries` count (by outcome) per attempt of a job. */
export const deliveryObserver =
  (job: DeliveryJob, { logger, metrics }: Observers) =>
  (outcome: DeliveryOutcome, delivery: Delivery): void => {
    metrics.count('WebhookDeliveries', { outcome });
    const last = delivery.attempts.at(-1);
    const fields = {
      deliveryId: job.deliveryId,
      tenantId: job.tenantId,
      endpointId: job.endpointId,
      eventType: delivery.eventType,
      outcome,
      attemptCount: delivery.attemptCount,
      statusCode: last?.statusCode,
      error: last?.error,
    };
    if (outcome === 'failed' || outcome === 'endpoint_disabled')
      logger.warn('webhook delivery ended failed', fields);
    else logger.info('webhook delivery attempted', fields);
  };

/** The run ends after Publish, or after Stage when it waits for a review (no auto-publish, or a dry run). */
const endsRun = (step: MatchingStep, state: RunState) =>
  step === 'publish' || (step === 'stage' && !(state.autoPublish && !state.dryRun));

/**
 * A matching step with its logs and metrics: every step's duration and errors, and once per run
 * its duration from the run's creation (`MatchingRunDuration`) or its failure (`MatchingRunsFailed`, counted by
 * RecordFailure, which runs once a step has failed for good).
 */
export function observedStep(
  step: MatchingStep,
  handler: StepHandler,
  { logger, metrics }: Observers,
  runCreatedAt: (state: RunState) => Promise<string>,
): StepHandler {
  return async (state) => {
    const ids = { runId: state.runId, tenantId: state.tenantId, programId: state.programId, step };
    const started = performance.now();
    let next: RunState;
    try {
      next = await handler(state);
    } catch (error) {
      // A cancelled run ends the workflow on purpose (the error is named for the state machine).
      if ((error as Error).name === 'RunCancelled') {
        logger.info('matching run cancelled', ids);
        throw error;
      }
      metrics.count('MatchingStepErrors', { step });
      logger.error('matching step failed', { ...ids, error: error as Error });
      throw error;
    }
    const durationMs = performance.now() - started;
    metrics.milliseconds('MatchingStepDuration', durationMs, { step });
    logger.info('matching step done', { ...ids, durationMs: Math.round(durationMs) });
    if (step === 'recordFailure') {
      metrics.count('MatchingRunsFailed', {});
      logger.error('matching run failed', { ...ids, error: state.error });
    } else if (endsRun(step, next)) {
      const runMs = Date.now() - Date.parse(await runCreatedAt(state));
      metrics.milliseconds('MatchingRunDuration', runMs, {});
      logger.info('matching run done', { ...ids, runDurationMs: runMs });
    }
    return next;
  };
}
