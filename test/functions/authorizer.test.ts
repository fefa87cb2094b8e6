import { describe, expect, test, vi } from 'vitest';
import { call, newTenant, OPERATOR_KEY, testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

// The function's cold start, wired to this run: its environment and secret, DynamoDB Local, and
// (the one difference from AWS) an SSRF policy that lets it fetch the test issuer's keys on 127.0.0.1.
vi.mock('../../functions/config.ts', async () => {
  const { inject } = await import('vitest');
  return {
    readEnvironment: () => ({
      TABLE_NAME: inject('tableName'),
      OPERATOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:operator',
      AUTHORIZER_CACHE_SECONDS: 0,
      PLATFORM_USAGE_KEY: 'tandem-test-platform-usage',
    }),
  };
});
vi.mock('../../functions/secrets.ts', async () => {
  const { OPERATOR_KEY: operatorKey } = await import('../support/app.ts');
  return { rotatingSecret: async () => ({ values: () => [operatorKey], fresh: async () => {} }) };
});
vi.mock('@tandem/store', async (original) => {
  const { sharedDynamoEndpoint } = await import('../support/shared-dynamodb.ts');
  const store = await original<typeof import('@tandem/store')>();
  return {
    ...store,
    createDynamoClient: () => store.createDynamoClient({ endpoint: sharedDynamoEndpoint() }),
  };
});
vi.mock('@tandem/api/auth', async (original) => {
  const auth = await original<typeof import('@tandem/api/auth')>();
  const { loopbackUrlPolicy } = await import('../support/app.ts');
  return {
    ...auth,
    createAuthorizer: (config: Parameters<typeof auth.createAuthorizer>[0]) =>
      auth.createAuthorizer({ ...config, urlPolicy: loopbackUrlPolicy }),
  };
});

const app = testApp();

type Handler = typeof import('../../functions/authorizer.ts').handler;
type APIGatewayRequestAuthorizerEvent = Parameters<Handler>[0];
type Context = Parameters<Handler>[1];

const event = (authorization: string): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:111111111111:abc123/dev/GET/v1/me',
    headers: { Authorization: authorization },
    requestContext: { requestId: 'req-1' },
  }) as unknown as APIGatewayRequestAuthorizerEvent;

const context = { functionName: 'tandem-dev-authorizer', awsRequestId: 'aws-1' } as Context;

describe('the Lambda authorizer', () => {
  test("resolves a participant's JWT, and a valid token naming nobody active as unmapped", async () => {
    const { handler } = await import('../../functions/authorizer.ts');
    const { fromContext } = await import('@tandem/api/auth');
    const tenant = await newTenant(app);
    const person = await call(app, 'POST', '/v1/people', {
      key: tenant.key,
      body: { name: 'Lambda Dana', email: uniqueEmail() },
    });
    const token = await participantToken(app, tenant, person.json.id);

    const allowed = await handler(event(`Bearer ${token}`), context);
    expect(allowed.principalId).toBe(`${tenant.tenantId}/${person.json.id}`);
    // A participant's requests count against their organization's usage plan key.
    expect(allowed.usageIdentifierKey).toBe(tenant.tenantId);
    expect(allowed.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:111111111111:abc123/dev/*/*',
      },
    ]);
    expect(fromContext(allowed.context ?? undefined)).toEqual({
      kind: 'participant',
      tenantId: tenant.tenantId,
      personId: person.json.id,
      providerId: expect.stringMatching(/^idp_/),
    });

    await call(app, 'PATCH', `/v1/people/${person.json.id}`, { key: tenant.key, body: { status: 'left' } });
    const unmapped = await handler(event(`Bearer ${token}`), context);
    expect(unmapped.principalId).toBe('unmapped');
    expect(unmapped.usageIdentifierKey).toBe('tandem-test-platform-usage');
    expect(fromContext(unmapped.context ?? undefined)).toEqual({
      kind: 'unmapped',
      reason: expect.stringContaining('is left in the organization'),
    });

    // API keys and the operator key resolve as before; a tampered token is API Gateway's 401.
    const keyed = await handler(event(`Bearer ${tenant.key}`), context);
    expect(keyed.principalId).toMatch(new RegExp(`^${tenant.tenantId}/key_`));
    expect(keyed.usageIdentifierKey).toBe(tenant.tenantId);
    const operator = await handler(event(`Bearer ${OPERATOR_KEY}`), context);
    expect(operator.principalId).toBe('operator');
    expect(operator.usageIdentifierKey).toBe('tandem-test-platform-usage');
    const tampered = `${token.slice(0, -4)}AAAA`;
    await expect(handler(event(`Bearer ${tampered}`), context)).rejects.toThrow('Unauthorized');
  });

  test('resolves a SCIM token to a scim principal, and passes a refused one on as unmapped', async () => {
    const { handler } = await import('../../functions/authorizer.ts');
    const { fromContext } = await import('@tandem/api/auth');
    const tenant = await newTenant(app);
    const issued = await call(app, 'POST', '/v1/scim-token', {
      key: tenant.key,
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    const allowed = await handler(event(`Bearer ${issued.json.secret}`), context);
    expect(allowed.principalId).toBe(`${tenant.tenantId}/${issued.json.id}`);
    expect(fromContext(allowed.context ?? undefined)).toEqual({
      kind: 'scim',
      tenantId: tenant.tenantId,
      tokenId: issued.json.id,
    });

    // API Gateway would answer a thrown refusal with its own 401; the SCIM routes answer this one
    // with a SCIM Error body. It reaches nothing.
    await call(app, 'DELETE', '/v1/scim-token', { key: tenant.key });
    const revoked = await handler(event(`Bearer ${issued.json.secret}`), context);
    expect(revoked.principalId).toBe('unmapped');
    expect(fromContext(revoked.context ?? undefined)).toEqual({
      kind: 'unmapped',
      reason: expect.stringContaining('SCIM token'),
      refused: true,
    });
  });
});
