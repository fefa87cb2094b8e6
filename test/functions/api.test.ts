import { afterAll, describe, expect, test, vi } from 'vitest';
import { call, newTenant, testApp } from '../support/app.ts';

// The API function's cold start, wired to this run: its environment, DynamoDB Local, and a cursor
// secret whose reads are counted (Secrets Manager cannot run locally).
const secret = vi.hoisted(() => ({ value: 'api-function-test-cursor-secret', reads: 0 }));
vi.mock('../../functions/config.ts', async () => {
  const { inject } = await import('vitest');
  return {
    readEnvironment: () => ({
      TABLE_NAME: inject('tableName'),
      CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:cursor',
      WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/deliveries',
      MATCHING_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111111111111:stateMachine:matching',
      USAGE_PLAN_NAME_PREFIX: 'tandem-test-',
      HRIS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/hris.fifo',
      RECOGNITION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111111111111:stateMachine:recognition',
      CERTIFICATE_BUCKET: 'certificates',
    }),
  };
});
vi.mock('../../functions/secrets.ts', () => ({
  rotatingSecret: async () => {
    secret.reads++;
    return { values: () => [secret.value], fresh: async () => {} };
  },
}));
vi.mock('@tandem/store', async (original) => {
  const { sharedDynamoEndpoint } = await import('../support/shared-dynamodb.ts');
  const store = await original<typeof import('@tandem/store')>();
  return {
    ...store,
    createDynamoClient: () => store.createDynamoClient({ endpoint: sharedDynamoEndpoint() }),
  };
});

vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
afterAll(() => vi.unstubAllEnvs());

const app = testApp();

/** A REST API proxy event as API Gateway sends it once the Lambda authorizer allowed an admin key. */
const get = (path: string, query: Record<string, string>, tenantId: string) => ({
  resource: '/{proxy+}',
  path,
  httpMethod: 'GET',
  headers: { host: 'api.test' },
  multiValueHeaders: { host: ['api.test'] },
  queryStringParameters: Object.keys(query).length ? query : null,
  multiValueQueryStringParameters: Object.keys(query).length
    ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]]))
    : null,
  pathParameters: { proxy: path.slice(1) },
  requestContext: {
    requestId: 'test',
    stage: 'prod',
    path: `/prod${path}`,
    identity: {},
    authorizer: { kind: 'tenant', tenantId, keyId: 'key_01jd0000000000000000000000', scopes: 'admin' },
  },
  body: null,
  isBase64Encoded: false,
});
const context = { functionName: 'tandem-api', awsRequestId: 'test' } as never;

describe('the API function reads its cursor secret on first use', () => {
  test('not at its cold start, nor for a request that pages through nothing; once a list seals a cursor', async () => {
    const { tenantId, key } = await newTenant(app);
    const ids: string[] = [];
    for (const name of ['First', 'Second']) {
      const created = await call(app, 'POST', '/v1/programs', { key, body: { name, format: 'peer_pairs' } });
      expect(created.status).toBe(201);
      ids.push(created.json.id);
    }

    const { handler } = await import('../../functions/api.ts');
    expect(secret.reads).toBe(0);

    const one = await handler(get(`/v1/programs/${ids[0]}`, {}, tenantId) as never, context);
    expect(one.statusCode).toBe(200);
    const all = await handler(get('/v1/programs', { limit: '5' }, tenantId) as never, context);
    expect(JSON.parse(all.body)).toMatchObject({ nextCursor: null });
    expect(secret.reads).toBe(0);

    const first = await handler(get('/v1/programs', { limit: '1' }, tenantId) as never, context);
    const page = JSON.parse(first.body);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(secret.reads).toBe(1);
    const next = await handler(
      get('/v1/programs', { limit: '1', cursor: page.nextCursor }, tenantId) as never,
      context,
    );
    expect(next.statusCode).toBe(200);
    expect([...page.items, ...JSON.parse(next.body).items].map((p: { id: string }) => p.id).sort()).toEqual(
      [...ids].sort(),
    );
    // Read once, then kept (and refreshed on its schedule) for the life of the execution environment.
    expect(secret.reads).toBe(1);
  });
});
