import { TableDeliveryQueue } from '@tandem/local';
import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { processJob } from '@tandem/webhooks';
import type { RunState } from '@tandem/workflows';
import { describe, expect, onTestFinished, test } from 'vitest';
import { deliveryObserver, type Observers, observedStep } from '../../functions/observers.ts';
import { CURSOR_SECRET, call, newTenant, testApp, testSealer } from '../support/app.ts';
import { ownDatabase } from '../support/own-database.ts';
import { fastPolicy, receiver } from '../support/webhooks.ts';

/** Observers that keep what the functions would log and count. */
function recorder() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const metrics: { name: string; value: number; dimensions: Record<string, string> }[] = [];
  const log =
    (level: string) =>
    (message: string, ...fields: Record<string, unknown>[]) =>
      lines.push({ level, message, fields: Object.assign({}, ...fields) });
  const observers: Observers = {
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics: {
      count: (name, dimensions) => metrics.push({ name, value: 1, dimensions }),
      milliseconds: (name, value, dimensions) => metrics.push({ name, value, dimensions }),
    },
  };
  return { observers, lines, metrics };
}

describe('webhook delivery observer', () => {
  test('a delivery that fails its last retry counts as failed and logs its delivery and tenant ids', async () => {
    const database = await ownDatabase();
    onTestFinished(() => database.stop());
    const { db } = database;
    const queue = new TableDeliveryQueue(db);
    // Two attempts in all: the ping's first, then the one driven here.
    const policy = { ...fastPolicy, retryDelaysMs: [0, 0] };
    const app = testApp({ db, endpoint: database.endpoint, webhooks: { queue, policy } });
    const { key, tenantId } = await newTenant(app);
    const hooks = await receiver(() => ({ status: 500 }));
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const ping = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    expect(ping.json.status).toBe('pending');

    const { observers, lines, metrics } = recorder();
    const job = {
      tenantId,
      endpointId: endpoint.json.id,
      deliveryId: ping.json.id,
      attempt: 1,
      dueAt: ping.json.nextAttemptAt,
    };
    const stores = tenantStore(
      { tenant: db, platform: db, sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const result = await processJob(job, {
      storesFor: () => stores,
      queue,
      policy,
      onOutcome: deliveryObserver(job, observers),
    });

    expect(result).toMatchObject({ status: 'failed', attemptCount: 2 });
    expect(metrics).toEqual([{ name: 'WebhookDeliveries', value: 1, dimensions: { outcome: 'failed' } }]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'webhook delivery ended failed',
        fields: expect.objectContaining({
          deliveryId: ping.json.id,
          tenantId,
          endpointId: endpoint.json.id,
          outcome: 'failed',
          statusCode: 500,
        }),
      },
    ]);
    await hooks.close();
  });
});

describe('matching step observer', () => {
  const state: RunState = {
    tenantId: 'ten_1',
    programId: 'prg_1',
    runId: 'run_1',
    autoPublish: false,
    dryRun: false,
  };
  // Fixed before the steps run: made when asked, it was a millisecond younger than the step's own clock reading.
  const created = new Date(Date.now() - 90_000).toISOString();
  const createdAt = async () => created;

  test('every step reports its duration; the step that ends the run reports the run’s', async () => {
    const { observers, metrics, lines } = recorder();
    await observedStep('solve', async (s) => s, observers, createdAt)(state);
    expect(metrics.map((m) => [m.name, m.dimensions])).toEqual([['MatchingStepDuration', { step: 'solve' }]]);
    // Without auto-publish the run ends at Stage, waiting for a review.
    await observedStep('stage', async (s) => s, observers, createdAt)(state);
    const run = metrics.find((m) => m.name === 'MatchingRunDuration');
    expect(run?.value).toBeGreaterThanOrEqual(90_000);
    expect(lines.at(-1)).toMatchObject({
      message: 'matching run done',
      fields: { runId: 'run_1', tenantId: 'ten_1' },
    });
    const published = recorder();
    await observedStep(
      'stage',
      async (s) => s,
      published.observers,
      createdAt,
    )({ ...state, autoPublish: true });
    expect(published.metrics.map((m) => m.name)).toEqual(['MatchingStepDuration']);
  });

  test('a failed run is counted once, by RecordFailure; a step that throws is logged and counted by step', async () => {
    const { observers, metrics, lines } = recorder();
    const failed = { ...state, error: { Error: 'Error', Cause: 'solver ran out of memory' } };
    await observedStep('recordFailure', async (s) => s, observers, createdAt)(failed);
    expect(metrics.map((m) => m.name)).toEqual(['MatchingStepDuration', 'MatchingRunsFailed']);
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'matching run failed',
      fields: { runId: 'run_1', tenantId: 'ten_1', error: failed.error },
    });

    const broken = recorder();
    const boom = observedStep(
      'solve',
      async () => Promise.reject(new Error('boom')),
      broken.observers,
      createdAt,
    );
    await expect(boom(state)).rejects.toThrow('boom');
    expect(broken.metrics).toEqual([{ name: 'MatchingStepErrors', value: 1, dimensions: { step: 'solve' } }]);
    expect(broken.lines[0]).toMatchObject({ level: 'error', fields: { runId: 'run_1', step: 'solve' } });
  });

  test('a cancelled run is no failure', async () => {
    const { observers, metrics } = recorder();
    const cancelled = Object.assign(new Error('Run run_1 is no longer active'), { name: 'RunCancelled' });
    const step = observedStep('publish', async () => Promise.reject(cancelled), observers, createdAt);
    await expect(step(state)).rejects.toBe(cancelled);
    expect(metrics).toEqual([]);
  });
});
