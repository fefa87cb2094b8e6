import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, test, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** What Powertools writes (one JSON document per line), with the environment the stack sets. */
async function captured(run: (powertools: typeof import('../../functions/powertools.ts')) => void) {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'tandem-webhook-delivery');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Tandem/test');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
  const written: string[] = [];
  // Warnings and errors go to stderr.
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  run(await import('../../functions/powertools.ts'));
  vi.restoreAllMocks();
  return written
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('Powertools Tracer', () => {
  const xrayOn = async (enabled: string) => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', enabled);
    const { traced } = await import('../../functions/powertools.ts');
    const client = traced(new DynamoDBClient({ region: 'eu-west-1' }));
    return client.middlewareStack.identify().some((entry) => entry.startsWith('XRaySDKInstrumentation'));
  };

  test('captures SDK clients where the stage traces', async () => {
    expect(await xrayOn('true')).toBe(true);
  });

  test('leaves them alone where it does not', async () => {
    expect(await xrayOn('false')).toBe(false);
  });
});

describe('Powertools observers', () => {
  test('a count is one EMF document with its own dimensions and the service’s', async () => {
    const [emf] = await captured(({ observers }) =>
      observers.metrics.count('WebhookDeliveries', { outcome: 'failed' }),
    );
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Tandem/test',
            Dimensions: [expect.arrayContaining(['service', 'outcome'])],
            Metrics: [{ Name: 'WebhookDeliveries', Unit: 'Count' }],
          },
        ],
      },
      service: 'tandem-webhook-delivery',
      outcome: 'failed',
      WebhookDeliveries: 1,
    });
  });

  test('log lines are JSON with the fields passed along', async () => {
    const [line] = await captured(({ observers }) =>
      observers.logger.warn('webhook delivery ended failed', { deliveryId: 'dlv_1', tenantId: 'ten_1' }),
    );
    expect(line).toMatchObject({
      level: 'WARN',
      message: 'webhook delivery ended failed',
      service: 'tandem-webhook-delivery',
      deliveryId: 'dlv_1',
      tenantId: 'ten_1',
    });
  });
});
