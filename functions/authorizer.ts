import { createAuthorizer, toContext, type Verdict } from '@tandem/api/auth';
import { hashSecret } from '@tandem/core';
import { createDocumentClient, createDynamoClient } from '@tandem/store';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { logger, traced } from './powertools.ts';
import { rotatingSecret } from './secrets.ts';

const env = readEnvironment('authorizer');
// The current and the previous operator key, both accepted until the next rotation.
const operatorKey = await rotatingSecret(env.OPERATOR_KEY_SECRET_ARN);
let hashed = { of: operatorKey.values(), hashes: operatorKey.values().map(hashSecret) };
const authorize = createAuthorizer({
  db: { doc: createDocumentClient(traced(createDynamoClient())), tableName: env.TABLE_NAME },
  operatorKeyHash: () => {
    if (hashed.of !== operatorKey.values())
      hashed = { of: operatorKey.values(), hashes: operatorKey.values().map(hashSecret) };
    return hashed.hashes;
  },
  cacheSeconds: env.AUTHORIZER_CACHE_SECONDS,
});

/**
 * REQUEST authorizer: the same authorize() the local server runs as middleware, for API keys and
 * participants' JWTs alike. The policy is API-wide (so API Gateway's cache may reuse it across
 * routes); per-route checks happen in the API function from the context returned here. A valid
 * token that names no active person is allowed with an `unmapped` context too, because only the
 * API function can answer the 403 that says why; so is a refused SCIM token, whose 401 must carry
 * a SCIM Error body.
 */
export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
  context: Context,
): Promise<APIGatewayAuthorizerResult> {
  logger.addContext(context);
  await operatorKey.fresh();
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const principal = await authorize(header);
  const requestId = event.requestContext.requestId;
  if (!principal) {
    logger.info('refused', { requestId });
    // API Gateway turns this exact message into a 401.
    throw new Error('Unauthorized');
  }
  const [arnPrefix, stage] = event.methodArn.split('/');
  logger.info(principal.kind === 'unmapped' ? 'unmapped' : 'authorized', {
    requestId,
    reason: principal.kind === 'unmapped' ? principal.reason : undefined,
    tenantId: 'tenantId' in principal ? principal.tenantId : undefined,
    keyId: principal.kind === 'tenant' ? principal.keyId : undefined,
    scimTokenId: principal.kind === 'scim' ? principal.tokenId : undefined,
    personId: principal.kind === 'participant' ? principal.personId : undefined,
    operator: principal.kind === 'operator' || undefined,
  });
  return {
    principalId: principalIdOf(principal),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*/*` }],
    },
    context: toContext(principal),
    // The API key whose usage plan (its tenant's tier) throttles this caller; see usage-plans.ts.
    usageIdentifierKey: 'tenantId' in principal ? principal.tenantId : env.PLATFORM_USAGE_KEY,
  };
}

function principalIdOf(principal: Verdict): string {
  if (principal.kind === 'operator' || principal.kind === 'unmapped') return principal.kind;
  if (principal.kind === 'scim') return `${principal.tenantId}/${principal.tokenId}`;
  return `${principal.tenantId}/${principal.kind === 'tenant' ? principal.keyId : principal.personId}`;
}
