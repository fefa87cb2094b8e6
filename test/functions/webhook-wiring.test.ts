import { domainEvent, stampEvent } from '@tandem/core';
import { type DeliveryJob, processJob, type QueueJob, relayEvent } from '@tandem/webhooks';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, inject, test, vi } from 'vitest';
import { kmsSealer } from '../../functions/sealer.ts';
import { deliveryWiring, relayWiring } from '../../functions/webhook-stores.ts';
import { call, newTenant, testApp } from '../support/app.ts';
import { fakeKms } from '../support/fake-kms.ts';
import { sharedDynamoEndpoint } from '../support/shared-dynamodb.ts';
import { fastPolicy, receiver } from '../support/webhooks.ts';

// The functions' own table client, pointed at this run's DynamoDB Local; Secrets Manager at a
// port where nothing listens, so that reading a secret would fail the test.
vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', sharedDynamoEndpoint());
vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', 'http://127.0.0.1:9');
vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
afterAll(() => vi.unstubAllEnvs());

// The loopback receiver passes the SSRF guard only under the test policy.
const app = testApp({ webhooks: { queue: { enqueue: async () => {} }, policy: fastPolicy } });
const env = {
  TABLE_NAME: inject('tableName'),
  CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:cursor',
};
const SEALING_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000';

describe('the webhook functions without the cursor secret', () => {
  test('relay an event and attempt its delivery: neither pages through a list nor reads the secret; only the delivery opens the signing secret, through KMS', async () => {
    const { tenantId, key } = await newTenant(app);
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: hooks.url, eventTypes: ['api_key.revoked'] },
    });
    expect(endpoint.status).toBe(201);
    const queued: QueueJob[] = [];
    const queue = { enqueue: async (job: QueueJob) => void queued.push(job) };

    const event = stampEvent(
      domainEvent('api_key.revoked', { keyId: 'key_01jd0000000000000000000000' }),
      tenantId,
      new Date(),
    );
    // The relay's stores have no key to open a secret with (noSecrets): it reads none.
    expect(await relayEvent(event, relayWiring(env, queue))).toBe(1);
    expect(queued).toHaveLength(1);

    // KMS is the one stand-in here (test/support/fake-kms.ts): it unwraps the data key the test app sealed with.
    const kms = fakeKms(SEALING_KEY_ARN);
    const wiring = deliveryWiring(env, queue, kmsSealer(SEALING_KEY_ARN, kms.client));
    const job = queued[0] as DeliveryJob;
    const delivered = await processJob(job, { storesFor: wiring.storesFor(job), queue, policy: fastPolicy });
    expect(delivered).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    expect(kms.calls).toEqual(['DecryptCommand']);
    expect(hooks.requests).toHaveLength(1);
    expect(JSON.parse(hooks.requests[0]!.body)).toMatchObject({ id: event.id, type: 'api_key.revoked' });
    const { body, headers } = hooks.requests[0]!;
    expect(() => new Webhook(endpoint.json.secret).verify(body, headers)).not.toThrow();
    await hooks.close();
  });

  test("a recovery job's repositories read the secret: here, where there is none, the job fails", async () => {
    const wiring = deliveryWiring(
      env,
      { enqueue: async () => {} },
      kmsSealer(SEALING_KEY_ARN, fakeKms(SEALING_KEY_ARN).client),
    );
    const job: QueueJob = {
      kind: 'recovery',
      tenantId: 'ten_01jd0000000000000000000000',
      endpointId: 'whe_01jd0000000000000000000000',
      recoveryId: 'rcv_01jd0000000000000000000000',
      page: 0,
      dueAt: new Date().toISOString(),
    };
    await expect(wiring.storesFor(job)(job.tenantId)).rejects.toThrow();
  });
});
