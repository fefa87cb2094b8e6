import { createAuthorizer, hashSecret, toContext } from '@tandem/api/auth';
import { createDocumentClient, createDynamoClient } from '@tandem/store';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { readEnvironment, readSecret } from './config.ts';

const env = readEnvironment('authorizer');
const authorize = createAuthorizer({
  db: { doc: createDocumentClient(createDynamoClient()), tableName: env.TABLE_NAME },
  operatorKeyHash: hashSecret(await readSecret(env.OPERATOR_KEY_SECRET_ARN)),
  cacheSeconds: env.AUTHORIZER_CACHE_SECONDS,
});

/**
 * REQUEST authorizer: the same authorize() the local server runs as middleware. The policy is
 * API-wide (so API Gateway's cache may reuse it across routes); per-route scope checks happen
 * in the API function from the context returned here.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const principal = await authorize(header);
  // API Gateway turns this exact message into a 401.
  if (!principal) throw new Error('Unauthorized');
  const [arnPrefix, stage] = event.methodArn.split('/');
  return {
    principalId: principal.kind === 'tenant' ? `${principal.tenantId}/${principal.keyId}` : 'operator',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*/*` }],
    },
    context: toContext(principal),
  };
}
